/* schema_redact_search.h: the directory's search index gets a prefix
 * index for 4 characters as well (1, 2, 3 and 4), so that typing the
 * toll-free prefix "0800", or any fourth character, no longer merges the
 * lists of every word that starts so (about 3 ms with 10,000 entries,
 * since each entry's telephone in digits is a word of its own). The
 * index holds the same words, so what is found and its bm25 order do not
 * change. FTS5 cannot change a table's options: the table is made again
 * and filled from orgs; the triggers on orgs name it and go on working.
 * Owned by the directory module (orgs_search.c). */
#ifndef DOVIRA_SCHEMA_REDACT_SEARCH_H
#define DOVIRA_SCHEMA_REDACT_SEARCH_H

#include "schema_v2.h"

#define SCHEMA_SEARCH_PREFIX4 \
	"DROP TABLE orgs_fts;" \
	"CREATE VIRTUAL TABLE orgs_fts USING fts5(" \
	" name_uk, name_en, ident, phones, tags, address, notes," \
	" tokenize = \"unicode61 remove_diacritics 2 separators '\xca\xbc\xca\xbb'\"," \
	" prefix = '1 2 3 4');" \
	"INSERT INTO orgs_fts(" ORGS_FTS_COLUMNS ") SELECT " ORGS_FTS_VALUES("o") " FROM orgs o;"

#endif
