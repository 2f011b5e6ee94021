/* i18n.c - binds the message catalog (see i18n.h). */
#include "i18n.h"

#include <locale.h>
#include <stdlib.h>

#ifndef HZ_LOCALEDIR
#define HZ_LOCALEDIR "/usr/share/locale"
#endif

void i18n_init(void)
{
    /* LC_ALL from the environment: messages, and the character set the
     * terminal expects. Numbers keep the C rules because every number the
     * programs print or parse is in the wire's format. */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    /* A build tree runs before anything is installed: HZ_LOCALEDIR in the
     * environment points it at the freshly compiled catalogs. */
    const char *dir = getenv("HZ_LOCALEDIR");
    bindtextdomain("huizong", dir && *dir ? dir : HZ_LOCALEDIR);
    bind_textdomain_codeset("huizong", "UTF-8");
    textdomain("huizong");
}

bool i18n_translating(void)
{
    /* The empty msgid is the catalog's header: it is the empty string
     * itself only when no catalog was found for the locale. */
    const char *header = gettext("");

    return header && *header;
}
