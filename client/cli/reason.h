/* reason.h - a server's refusal in the user's language, from its reason
 * code and arguments (Response.info, FieldError.info; sql/090). */
#ifndef HZ_REASON_H
#define HZ_REASON_H

#include <stddef.h>

#include "huizong.pb-c.h"

/* The refusal of info written into buf in the user's language; NULL when
 * info is NULL or its reason is not one this client knows (the caller then
 * shows the server's English text). Units are shown by name when the
 * server sent one. */
const char *reason_render(const Huizong__ErrorInfo *info, char *buf, size_t len);

/* A status in words in the user's language ("无权操作"); its name
 * (PERMISSION_DENIED) when no catalog is in use, as scripts and the English
 * messages have always shown it, or for a status without words. */
const char *reason_status_words(Huizong__Status s);

#endif
