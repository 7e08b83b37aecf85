/* report_out.c: a table as text, CSV or JSON; the export's audit row;
 * the script versions whose labels the tables need. */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "dovira/audit.h"
#include "dovira/csv.h"
#include "dovira/i18n.h"
#include "dovira/sanitize.h"
#include "dovira/text.h"

static const char *level_label(report_level l)
{
	switch (l) {
	case REPORT_INTERNAL: return _("internal: exact counts, not to leave the office");
	case REPORT_DEPARTMENT: return _("department: counts from 1 to 4 shown as <5");
	default: return _("public: counts from 1 to 10 suppressed (x), k = 11");
	}
}

/* The count of contacts as it may be shown at the table's level. */
static char *contacts_text(const report_table *t)
{
	long k = t->level == REPORT_PUBLIC ? 10 : t->level == REPORT_DEPARTMENT ? 4 : 0;
	if (t->contacts >= 1 && t->contacts <= k)
		return xstrdup(t->level == REPORT_DEPARTMENT ? "<5" : "x");
	return xasprintf("%ld", t->contacts);
}

/* The lines of the heading every format carries. */
static void heading(const report_table *t, char **title, char **scope)
{
	char *n = contacts_text(t);
	*title = xstrdup(t->title);
	*scope = xasprintf(_("Contacts: %s. Period %s to %s (Kyiv time). Office: %s. Level: %s."), n,
			   t->period.from, t->period.to, t->office ? t->office : _("all"), level_label(t->level));
	free(n);
}

/* ---- text ---- */

static void put_cell(dv_buf *o, const char *s, int w, int right)
{
	char *safe = sanitize(s, 0), *cut = text_cut(safe, w, 0);
	int pad = w - text_width(cut);
	if (right)
		for (int i = 0; i < pad; i++)
			dv_buf_addc(o, ' ');
	dv_buf_adds(o, cut);
	if (!right)
		for (int i = 0; i < pad; i++)
			dv_buf_addc(o, ' ');
	free(safe);
	free(cut);
}

static int label_width(const report_block *b)
{
	int w = text_width(_("Total"));
	for (size_t r = 0; r < b->nrows; r++) {
		int lw = text_width(b->row_label[r]);
		w = lw > w ? lw : w;
	}
	return w > 40 ? 40 : w;
}

static const char *col_head(const report_block *b, size_t c)
{
	if (c == b->ncols)
		return _("Total");
	return b->ncols == 1 && strcmp(b->col_code[0], "calls") == 0 ? _("calls") : b->col_label[c];
}

static int col_width(const report_block *b, size_t c)
{
	int w = text_width(col_head(b, c));
	w = w > 14 ? 14 : w < 5 ? 5 : w;
	for (size_t r = 0; r <= b->nrows; r++) {
		if (r == b->nrows && !b->row_total)
			break;
		char *s = report_cell_text(b, r, c);
		int sw = text_width(s);
		w = sw > w ? sw : w;
		free(s);
	}
	return w;
}

static void text_row(dv_buf *o, const report_block *b, size_t r, int lw, const int *cw)
{
	put_cell(o, r == b->nrows ? _("Total") : b->row_label[r], lw, 0);
	for (size_t c = 0; c < b->ncols + (size_t)b->col_total; c++) {
		char *s = report_cell_text(b, r, c);
		dv_buf_adds(o, "  ");
		put_cell(o, s, cw[c], 1);
		free(s);
	}
	dv_buf_addc(o, '\n');
}

static void text_block(dv_buf *o, const report_block *b)
{
	int lw = label_width(b);
	size_t nc = b->ncols + (size_t)b->col_total;
	int *cw = xcalloc(nc + 1, sizeof *cw);
	dv_buf_printf(o, "\n%s\n", b->title);
	put_cell(o, "", lw, 0);
	for (size_t c = 0; c < nc; c++) {
		cw[c] = col_width(b, c);
		dv_buf_adds(o, "  ");
		put_cell(o, col_head(b, c), cw[c], 1);
	}
	dv_buf_addc(o, '\n');
	for (size_t r = 0; r < b->nrows + (size_t)b->row_total; r++)
		text_row(o, b, r, lw, cw);
	free(cw);
}

static void render_text(const report_table *t, dv_buf *o)
{
	char *title, *scope;
	heading(t, &title, &scope);
	dv_buf_printf(o, "%s\n%s\n", title, scope);
	for (size_t i = 0; i < t->nblocks; i++)
		text_block(o, &t->blocks[i]);
	if (t->nnotes)
		dv_buf_addc(o, '\n');
	for (size_t i = 0; i < t->nnotes; i++)
		dv_buf_printf(o, _("Note: %s\n"), t->notes[i]);
	free(title);
	free(scope);
}

/* ---- CSV ---- */

/* A spreadsheet must never take a cell for a formula. */
static void csv_safe(dv_buf *o, const char *s)
{
	char *safe = sanitize(s, 0);
	if (strchr("=+-@\t\r", safe[0]) && safe[0]) {
		char *q = xasprintf("'%s", safe);
		csv_add_field(o, q);
		free(q);
	} else {
		csv_add_field(o, safe);
	}
	free(safe);
}

static void csv_line(dv_buf *o, const char *const *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			dv_buf_addc(o, ',');
		csv_safe(o, f[i] ? f[i] : "");
	}
	dv_buf_adds(o, "\r\n");
}

static void csv_block(dv_buf *o, const report_block *b)
{
	size_t nc = b->ncols + (size_t)b->col_total;
	const char **f = xcalloc(nc + 3, sizeof *f);
	f[0] = b->title;
	f[1] = "";
	f[2] = "";
	for (size_t c = 0; c < nc; c++)
		f[3 + c] = col_head(b, c);
	csv_line(o, f, nc + 3);
	for (size_t r = 0; r < b->nrows + (size_t)b->row_total; r++) {
		char **cells = xcalloc(nc, sizeof *cells);
		f[0] = b->title;
		f[1] = r == b->nrows ? "" : b->row_code[r];
		f[2] = r == b->nrows ? _("Total") : b->row_label[r];
		for (size_t c = 0; c < nc; c++)
			f[3 + c] = cells[c] = report_cell_text(b, r, c);
		csv_line(o, f, nc + 3);
		for (size_t c = 0; c < nc; c++)
			free(cells[c]);
		free(cells);
	}
	free(f);
}

static void render_csv(const report_table *t, dv_buf *o)
{
	char *title, *scope;
	heading(t, &title, &scope);
	dv_buf_adds(o, "\xef\xbb\xbf");
	const char *h[] = {title};
	csv_line(o, h, 1);
	h[0] = scope;
	csv_line(o, h, 1);
	for (size_t i = 0; i < t->nblocks; i++)
		csv_block(o, &t->blocks[i]);
	for (size_t i = 0; i < t->nnotes; i++) {
		h[0] = t->notes[i];
		csv_line(o, h, 1);
	}
	free(title);
	free(scope);
}

/* ---- JSON ---- */

static void json_str(dv_buf *o, const char *s)
{
	char *safe = sanitize(s ? s : "", 0);
	dv_buf_addc(o, '"');
	for (const unsigned char *p = (const unsigned char *)safe; *p; p++) {
		if (*p == '"' || *p == '\\')
			dv_buf_printf(o, "\\%c", *p);
		else if (*p < 0x20)
			dv_buf_printf(o, "\\u%04x", *p);
		else
			dv_buf_addc(o, (char)*p);
	}
	dv_buf_addc(o, '"');
	free(safe);
}

static void json_cell(dv_buf *o, const report_block *b, size_t r, size_t c)
{
	report_cell_state st = report_cell_state_at(b, r, c);
	long v = report_cell(b, r, c);
	if (st == REPORT_SHOWN && (!b->measure || v >= 0)) {
		dv_buf_printf(o, "%ld", v);
	} else {
		char *s = report_cell_text(b, r, c);
		json_str(o, s);
		free(s);
	}
}

static void json_block(dv_buf *o, const report_block *b)
{
	size_t nc = b->ncols + (size_t)b->col_total;
	dv_buf_adds(o, "{\"title\":");
	json_str(o, b->title);
	dv_buf_printf(o, ",\"measure\":%s,\"row_total\":%s,\"col_total\":%s,\"columns\":[",
		      b->measure ? "true" : "false", b->row_total ? "true" : "false", b->col_total ? "true" : "false");
	for (size_t c = 0; c < nc; c++) {
		dv_buf_adds(o, c ? ",{\"code\":" : "{\"code\":");
		json_str(o, c == b->ncols ? "total" : b->col_code[c]);
		dv_buf_adds(o, ",\"label\":");
		json_str(o, col_head(b, c));
		dv_buf_addc(o, '}');
	}
	dv_buf_adds(o, "],\"rows\":[");
	for (size_t r = 0; r < b->nrows + (size_t)b->row_total; r++) {
		dv_buf_adds(o, r ? ",\n{\"code\":" : "\n{\"code\":");
		json_str(o, r == b->nrows ? "total" : b->row_code[r]);
		dv_buf_adds(o, ",\"label\":");
		json_str(o, r == b->nrows ? _("Total") : b->row_label[r]);
		dv_buf_adds(o, ",\"cells\":[");
		for (size_t c = 0; c < nc; c++) {
			if (c)
				dv_buf_addc(o, ',');
			json_cell(o, b, r, c);
		}
		dv_buf_adds(o, "]}");
	}
	dv_buf_adds(o, "]}");
}

static void render_json(const report_table *t, dv_buf *o)
{
	char *n = contacts_text(t);
	dv_buf_adds(o, "{\"table\":");
	json_str(o, t->name);
	dv_buf_adds(o, ",\"title\":");
	json_str(o, t->title);
	dv_buf_printf(o, ",\"level\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"period\":", report_level_name(t->level),
		      t->period.from, t->period.to);
	json_str(o, t->period.label);
	dv_buf_adds(o, ",\"office\":");
	if (t->office)
		json_str(o, t->office);
	else
		dv_buf_adds(o, "null");
	if (n[0] >= '0' && n[0] <= '9')
		dv_buf_printf(o, ",\"contacts\":%s,\"blocks\":[", n);
	else
		dv_buf_printf(o, ",\"contacts\":\"%s\",\"blocks\":[", n);
	free(n);
	for (size_t i = 0; i < t->nblocks; i++) {
		if (i)
			dv_buf_addc(o, ',');
		json_block(o, &t->blocks[i]);
	}
	dv_buf_adds(o, "],\"notes\":[");
	for (size_t i = 0; i < t->nnotes; i++) {
		if (i)
			dv_buf_addc(o, ',');
		json_str(o, t->notes[i]);
	}
	dv_buf_adds(o, "]}\n");
}

void report_render(const report_table *t, report_format f, dv_buf *out)
{
	if (f == REPORT_CSV)
		render_csv(t, out);
	else if (f == REPORT_JSON)
		render_json(t, out);
	else
		render_text(t, out);
}

int report_audit_export(dv_session *s, const report_table *t, report_format f, dv_error *e)
{
	char *detail = xasprintf("%s level=%s period=%s..%s office=%s format=%s", t->name, report_level_name(t->level),
				 t->period.from, t->period.to, t->office ? t->office : "*", report_format_name(f));
	int code = audit_log(s->db, s->login, "report.export", t->name, detail, e);
	free(detail);
	return code;
}

/* ---- the script versions ---- */

static void load_one(const char *path, script ***v, size_t *n)
{
	script *s = NULL;
	dv_error e;
	if (script_load(path, &s, NULL, &e) != DV_OK || !s)
		return; /* a file that does not load is skipped: its labels are not used */
	for (size_t i = 0; i < *n; i++)
		if (strcmp(script_version((*v)[i]), script_version(s)) == 0 && strcmp(script_id((*v)[i]), script_id(s)) == 0) {
			script_free(s);
			return;
		}
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

size_t report_scripts_load(const char *datadir, script ***out)
{
	script **v = NULL;
	size_t n = 0;
	char *path = xasprintf("%s/%s", datadir, SCRIPT_DEFAULT_NAME);
	load_one(path, &v, &n);
	free(path);
	char *dir = xasprintf("%s/scripts", datadir);
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len > 7 && strcmp(de->d_name + len - 7, ".script") == 0 && de->d_name[0] != '.') {
			char *p = xasprintf("%s/%s", dir, de->d_name);
			load_one(p, &v, &n);
			free(p);
		}
	}
	if (d)
		closedir(d);
	free(dir);
	*out = v;
	return n;
}

void report_scripts_free(script **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		script_free(v[i]);
	free(v);
}
