/* Error reporting of huizong: one line on stderr prefixed "huizong: ",
 * then, for refused batches, one indented line per bad field. */
#ifndef HZ_DIAG_H
#define HZ_DIAG_H

#include <stdint.h>

#include "huizong.pb-c.h"

void diag_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "  activities[3].category: reason" ("  field: reason" for non-records). */
void diag_field(const char *kind, uint32_t index, const char *field, const char *reason);

/* The server's words for a refusal (a Response's message or a FieldError's
 * reason, with its info): rendered from the reason code into buf in the
 * user's language when a catalog is in use and the reason is known, else
 * english as sent (also when info is NULL). */
const char *diag_refusal_text(const Huizong__ErrorInfo *info, const char *english, char *buf,
                              size_t len);

/* A refused Response's own line the same way: its reason rendered, or (with
 * a catalog in use) a count of the field errors that follow when it has no
 * reason, else its English message. */
const char *diag_response_text(const Huizong__Response *r, char *buf, size_t len);

/* Exit code for a non-OK status: HZ_EXIT_NET when the server could not be
 * used at all (UNAVAILABLE, UNAUTHENTICATED, DEADLINE_EXCEEDED), else HZ_EXIT_REFUSED. */
int diag_status_exit(Huizong__Status s);

/* Reports a non-OK response and returns its exit code; returns HZ_EXIT_OK
 * for OK. Record indexes in its field errors are shifted by first_index
 * (activity, indicator_value, honor), for batches that were split; NULL: no shift. */
int diag_response(const Huizong__Response *r, const uint32_t first_index[3]);

#endif
