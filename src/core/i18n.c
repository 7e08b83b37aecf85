/* i18n.c: locale and language of messages.
 *
 * dovira speaks Ukrainian or English. The language comes from --lang, or
 * else from the locale variables as gettext reads them. A server may not
 * have uk_UA.UTF-8 generated; then character handling falls back to
 * C.UTF-8 and the language is still honoured through LANGUAGE, which glibc
 * reads for any locale but plain "C".
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "dovira/i18n.h"
#include "dovira/priv.h"

static char lang_in_use[3] = "en";

/* The language named by a locale string such as "uk_UA.UTF-8". */
static const char *lang_of_locale(const char *loc)
{
	if (!loc || !*loc)
		return NULL;
	if (strncmp(loc, "uk", 2) == 0)
		return "uk";
	if (strncmp(loc, "en", 2) == 0 || strcmp(loc, "C") == 0 ||
	    strncmp(loc, "C.", 2) == 0 || strcmp(loc, "POSIX") == 0)
		return "en";
	return NULL;
}

static const char *lang_from_env(void)
{
	const char *vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return lang_of_locale(v) ? lang_of_locale(v) : "en";
	}
	return "en";
}

int i18n_init(const char *lang)
{
	if (lang && strcmp(lang, "uk") != 0 && strcmp(lang, "en") != 0)
		return -1;
	if (!setlocale(LC_ALL, "") || strcmp(setlocale(LC_CTYPE, NULL), "C") == 0 ||
	    strcmp(setlocale(LC_CTYPE, NULL), "POSIX") == 0) {
		/* The locale asked for is missing, or plain C: keep UTF-8 anyway. */
		setlocale(LC_ALL, "C.UTF-8");
	}
	const char *chosen = lang ? lang : lang_from_env();
	memcpy(lang_in_use, chosen, 3);
	/* LANGUAGE overrides the locale for messages; set it so that the choice
	 * holds whichever locale is active. */
	setenv("LANGUAGE", lang_in_use, 1);
	const char *localedir = priv_getenv_dir("DOVIRA_LOCALEDIR");
	bindtextdomain(PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
	return 0;
}

const char *i18n_lang(void)
{
	return lang_in_use;
}

const char *i18n_pick(const char *uk, const char *en)
{
	if (strcmp(lang_in_use, "uk") == 0)
		return uk && *uk ? uk : en;
	return en && *en ? en : uk;
}
