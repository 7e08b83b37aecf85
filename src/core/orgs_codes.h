/* orgs_codes.h: private to the directory module: the code tables of
 * orgs_codes.c as the checks of an entry need them. */
#ifndef DOVIRA_ORGS_CODES_H
#define DOVIRA_ORGS_CODES_H

#include <stddef.h>

#include "dovira/orgs.h"

/* 1 if the len bytes at code are a code of set. */
int orgs_code_known(orgs_codeset set, const char *code, size_t len);

/* "a b c": every code of set, for messages. A new string. */
char *orgs_codes_list(orgs_codeset set);

#endif
