/* columns.c: the table of the core columns (columns.h). */
#include "config.h"

#include <string.h>

#include "dovira/columns.h"

static const struct {
	const char *name;
	col_shape shape;
} cols[COL_NCOLS] = {
	[COL_TOPIC] = {"topic", COL_SHAPE_CODE},
	[COL_CALLER_ROLE] = {"caller_role", COL_SHAPE_CODE},
	[COL_GENDER] = {"gender", COL_SHAPE_CODE},
	[COL_AGE_BAND] = {"age_band", COL_SHAPE_CODE},
	[COL_RAION] = {"raion", COL_SHAPE_AREA},
	[COL_COUNTRY] = {"country", COL_SHAPE_COUNTRY},
	[COL_LANGUAGE] = {"language", COL_SHAPE_CODE},
	[COL_HEARD_FROM] = {"heard_from", COL_SHAPE_CODE},
	[COL_OUTCOME] = {"outcome", COL_SHAPE_CODE},
	[COL_CALLBACK] = {"callback", COL_SHAPE_YESNO},
	[COL_NOTES] = {"notes", COL_SHAPE_NOTES},
};

const char *col_name(call_col c)
{
	return (unsigned)c < COL_NCOLS ? cols[c].name : NULL;
}

col_shape col_shape_of(call_col c)
{
	return (unsigned)c < COL_NCOLS ? cols[c].shape : COL_SHAPE_CODE;
}

int col_parse(const char *name)
{
	for (int c = 0; name && c < COL_NCOLS; c++)
		if (strcmp(cols[c].name, name) == 0)
			return c;
	return -1;
}
