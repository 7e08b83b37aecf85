/* schema_v2.h: version 2: full-text search over the directory (FTS5),
 * kept in step with orgs by triggers. Owned by the directory module. */
#ifndef DOVIRA_SCHEMA_V2_H
#define DOVIRA_SCHEMA_V2_H

#define SCHEMA_V2 \
	"CREATE VIRTUAL TABLE orgs_fts USING fts5(" \
	" name_uk, name_en, services, areas, notes," \
	" content='orgs', content_rowid='rowid'," \
	" tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');" \
	"CREATE TRIGGER orgs_fts_ai AFTER INSERT ON orgs BEGIN" \
	" INSERT INTO orgs_fts(rowid, name_uk, name_en, services, areas, notes)" \
	" VALUES (NEW.rowid, NEW.name_uk, NEW.name_en, NEW.services, NEW.areas, NEW.notes); END;" \
	"CREATE TRIGGER orgs_fts_ad AFTER DELETE ON orgs BEGIN" \
	" INSERT INTO orgs_fts(orgs_fts, rowid, name_uk, name_en, services, areas, notes)" \
	" VALUES ('delete', OLD.rowid, OLD.name_uk, OLD.name_en, OLD.services, OLD.areas, OLD.notes); END;" \
	"CREATE TRIGGER orgs_fts_au AFTER UPDATE ON orgs BEGIN" \
	" INSERT INTO orgs_fts(orgs_fts, rowid, name_uk, name_en, services, areas, notes)" \
	" VALUES ('delete', OLD.rowid, OLD.name_uk, OLD.name_en, OLD.services, OLD.areas, OLD.notes);" \
	" INSERT INTO orgs_fts(rowid, name_uk, name_en, services, areas, notes)" \
	" VALUES (NEW.rowid, NEW.name_uk, NEW.name_en, NEW.services, NEW.areas, NEW.notes); END;" \
	"INSERT INTO orgs_fts(orgs_fts) VALUES ('rebuild');"

#endif
