/* main.c: options, locale, and dispatch to a command or the screens. */
#include "config.h"

#include <stdio.h>

#include "dovira/i18n.h"

int main(int argc, char **argv)
{
	i18n_init(NULL);
	printf("%s\n", _("dovira"));
	return 0;
}
