/* i18n.h - the one way a message a person reads is translated.
 *
 * Every user-facing string is written in English inside _() (or N_() where
 * it sits in a static table and is translated when shown); the catalog
 * po/zh_CN.po carries the Chinese. The locale chooses: LANG=zh_CN.UTF-8
 * gives Chinese, anything else the English source. */
#ifndef HZ_I18N_H
#define HZ_I18N_H

#include <libintl.h>
#include <stdbool.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Sets the locale from the environment and binds the "huizong" text
 * domain; safe to call once at the start of main. A missing catalog is not
 * an error: the English source is shown. */
void i18n_init(void);

/* true when messages are shown from a catalog (the locale asks for a
 * language one exists for), false when the English source is shown. Text
 * the English source takes from elsewhere (the server's English refusal)
 * is then kept as it came. */
bool i18n_translating(void);

#endif
