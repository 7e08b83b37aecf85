/* i18n.h: gettext wrappers and language choice. */
#ifndef DOVIRA_I18N_H
#define DOVIRA_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Set the locale from the environment and bind the text domain.
 * lang is "uk", "en" or NULL (follow the locale: LC_ALL, LC_MESSAGES, LANG).
 * If the requested locale is not installed on the system, character
 * handling falls back to C.UTF-8 and messages still follow the language.
 * Returns 0, or -1 if lang is not one of the supported languages. */
int i18n_init(const char *lang);

/* The language in use for messages: "uk" or "en". */
const char *i18n_lang(void);

/* Pick the text of the current language: uk or en (either may be NULL;
 * the other is used then). Used for data that carries both languages. */
const char *i18n_pick(const char *uk, const char *en);

#endif
