/* columns.h: the core columns of a call record: the one table.
 *
 * A call record keeps the answers the hotline counts in fixed, indexed
 * columns of the calls table (DESIGN.md); a script maps its steps onto
 * them by name ("maps topic"). This table is the only place that lists
 * them: the script checks a mapping against it, the call log builds its
 * SQL from it, and the record mapping (record.h) copies answers through
 * it. Adding a column means a row here, a migration adding the database
 * column, and nothing else.
 *
 * Nothing here touches the database or the screens.
 */
#ifndef DOVIRA_COLUMNS_H
#define DOVIRA_COLUMNS_H

/* The core columns, in table order. */
typedef enum call_col {
	COL_TOPIC,
	COL_CALLER_ROLE,
	COL_GENDER,
	COL_AGE_BAND,
	COL_RAION,
	COL_COUNTRY,
	COL_LANGUAGE,
	COL_HEARD_FROM,
	COL_OUTCOME,
	COL_CALLBACK,
	COL_NOTES,
	COL_NCOLS
} call_col;

/* What a column holds, which decides the steps that may map onto it and
 * how the database stores it. */
typedef enum col_shape {
	COL_SHAPE_CODE,    /* an option code of a single step (TEXT) */
	COL_SHAPE_AREA,    /* an area code of the places table (TEXT) */
	COL_SHAPE_COUNTRY, /* an ISO country code of the places table (TEXT) */
	COL_SHAPE_YESNO,   /* "yes" or "no" in a record; 1 or 0 in the database */
	COL_SHAPE_NOTES    /* free text, redacted before it is stored (TEXT) */
} col_shape;

/* The name as scripts and the database spell it ("topic", "age_band"),
 * NULL for a value out of range. */
const char *col_name(call_col c);

/* The shape of column c; COL_SHAPE_CODE for a value out of range. */
col_shape col_shape_of(call_col c);

/* The column called name, or -1 (also for NULL). */
int col_parse(const char *name);

#endif
