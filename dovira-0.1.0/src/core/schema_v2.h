/* schema_v2.h: version 2: the directory's English notes and its full-text
 * search (FTS5), kept in step with orgs by triggers. Owned by the
 * directory module (orgs.c).
 *
 * - orgs.notes_en: notes in English beside the Ukrainian ones, so that
 *   both faces of the program can show them in the reader's language.
 * - org_terms: words in both languages for each code, so that typing
 *   "юрид", "притул" or "Мелітоп" finds entries by their services, kind,
 *   groups served and areas, not only by their names.
 * - orgs_fts: an FTS5 table holding its own copy of the indexed text
 *   (not external content: its columns are computed, and a stored copy
 *   lets the delete trigger work whatever the computed text was). Its
 *   rowid is the orgs rowid; searches join on it and also check the id.
 *   Columns, in the order of the bm25 weights in orgs.c: name_uk, name_en,
 *   ident (the id), phones (as written, and digits only so "0800505"
 *   finds "0 800 505 501"), tags (org_terms words), address, notes (both
 *   languages).
 * - Tokens: unicode61 folds case for Cyrillic and Latin. U+02BC and U+02BB
 *   (modifier-letter apostrophes, used in Ukrainian as in «сімʼї») are
 *   declared separators like ' and ’ already are, so every spelling of
 *   the apostrophe cuts the word at the same place. Prefix indexes for
 *   1, 2 and 3 characters serve search-as-you-type.
 */
#ifndef DOVIRA_SCHEMA_V2_H
#define DOVIRA_SCHEMA_V2_H

/* The text indexed for the orgs row R ("NEW" in a trigger, "o" in a
 * SELECT ... FROM orgs o). */
#define ORGS_FTS_VALUES(R) \
	R ".rowid, " R ".name_uk, " R ".name_en, " R ".id," \
	" coalesce(" R ".phones, '') || ' ' || replace(replace(replace(replace(replace(" \
	"  coalesce(" R ".phones, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', '')," \
	" (SELECT group_concat(words, ' ') FROM org_terms WHERE instr(' ' || " R ".kind || ' ' || " R ".services" \
	"  || ' ' || coalesce(" R ".serves, '') || ' ' || " R ".areas || ' ' || coalesce(" R ".operates_in, '') || ' '," \
	"  ' ' || code || ' ') > 0)," \
	" " R ".address, coalesce(" R ".notes, '') || ' ' || coalesce(" R ".notes_en, '')"

#define ORGS_FTS_COLUMNS "rowid, name_uk, name_en, ident, phones, tags, address, notes"

#define SCHEMA_V2 \
	"ALTER TABLE orgs ADD COLUMN notes_en TEXT;" \
	"CREATE TABLE org_terms(" \
	" code TEXT PRIMARY KEY," \
	" words TEXT NOT NULL" \
	") STRICT, WITHOUT ROWID;" \
	"INSERT INTO org_terms(code, words) VALUES" \
	" ('state', 'державна установа орган влади state authority')," \
	" ('social', 'соціальні служби social services')," \
	" ('ngo', 'громадська організація благодійна NGO charity')," \
	" ('hotline', 'гаряча лінія телефон hotline helpline')," \
	" ('police', 'поліція police')," \
	" ('legal_aid', 'правнича правова допомога юрист legal aid lawyer')," \
	" ('health', 'медична охорона здоров''я health medical')," \
	" ('shelter', 'притулок прихисток житло shelter')," \
	" ('status', 'статус постраждалої особи торгівля людьми status victim trafficking')," \
	" ('psychological', 'психологічна психолог psychological psychologist')," \
	" ('legal', 'юридична правова консультація юрист legal lawyer')," \
	" ('medical', 'медична лікар medical doctor')," \
	" ('financial', 'фінансова матеріальна грошова financial money')," \
	" ('employment', 'працевлаштування робота employment job')," \
	" ('information', 'інформація консультація information advice')," \
	" ('women', 'жінки жінок women')," \
	" ('men', 'чоловіки чоловіків men')," \
	" ('children', 'діти дітей дитина children child')," \
	" ('families', 'сім''ї родини families')," \
	" ('zaporizkyi', 'Запорізький район Zaporizkyi')," \
	" ('berdianskyi', 'Бердянський Бердянськ Berdianskyi Berdiansk')," \
	" ('melitopolskyi', 'Мелітопольський Мелітополь Melitopolskyi Melitopol')," \
	" ('polohivskyi', 'Пологівський Пологи Polohivskyi Polohy')," \
	" ('vasylivskyi', 'Василівський Василівка Vasylivskyi Vasylivka')," \
	" ('zaporizhzhia-city', 'Запоріжжя місто Zaporizhzhia city')," \
	" ('occupied', 'окупована територія occupied')," \
	" ('other-oblast', 'інша область other oblast')," \
	" ('abroad', 'за кордоном закордон abroad')," \
	" ('all', 'всеукраїнська національна national');" \
	"CREATE VIRTUAL TABLE orgs_fts USING fts5(" \
	" name_uk, name_en, ident, phones, tags, address, notes," \
	" tokenize = \"unicode61 remove_diacritics 2 separators '\xca\xbc\xca\xbb'\"," \
	" prefix = '1 2 3');" \
	"CREATE TRIGGER orgs_fts_ai AFTER INSERT ON orgs BEGIN" \
	" INSERT INTO orgs_fts(" ORGS_FTS_COLUMNS ") VALUES (" ORGS_FTS_VALUES("NEW") "); END;" \
	"CREATE TRIGGER orgs_fts_ad AFTER DELETE ON orgs BEGIN" \
	" DELETE FROM orgs_fts WHERE rowid = OLD.rowid; END;" \
	"CREATE TRIGGER orgs_fts_au AFTER UPDATE ON orgs BEGIN" \
	" DELETE FROM orgs_fts WHERE rowid = OLD.rowid;" \
	" INSERT INTO orgs_fts(" ORGS_FTS_COLUMNS ") VALUES (" ORGS_FTS_VALUES("NEW") "); END;" \
	"INSERT INTO orgs_fts(" ORGS_FTS_COLUMNS ") SELECT " ORGS_FTS_VALUES("o") " FROM orgs o;"

#endif
