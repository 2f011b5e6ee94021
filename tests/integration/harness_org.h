/* Harness helpers of the org tests: requests 20-39 built from field/value
 * pairs, and checks of a response's status, message and body. */
#ifndef HZ_IT_HARNESS_ORG_H
#define HZ_IT_HARNESS_ORG_H

#include "harness.h"

/* Sends a request whose body is the message of `body_case` with the given
 * string fields ("code", "c1", "name", "新名", ..., NULL) and returns the
 * response (free with harness_response_free); NULL when none came. */
Huizong__Response *org_call(SSL *s, Huizong__Request__BodyCase body_case, ...);

/* Fails the test unless r has status `want` and, when `message` is not
 * NULL, exactly that message. */
void org_assert_status(const Huizong__Response *r, Huizong__Status want, const char *message);

/* The body of an OK response, checked to be of `body_case`. */
const ProtobufCMessage *org_body(const Huizong__Response *r, Huizong__Response__BodyCase body_case);

/* Rows of the audit table. */
long org_audit_rows(harness *h);

/* Calls SQL function `fn` with `arg` (a JSON object text) and returns its
 * "status" and "message" (malloc'd "STATUS|message"); NULL on error. */
char *org_sql_call(harness *h, const char *fn, const char *arg);

/* Calls, as the administrator of d1, each case's SQL function cases[i][0]
 * with the JSON members cases[i][1] added to the principal, and fails the test
 * unless it answers cases[i][2] ("STATUS|message"). */
void org_assert_sql_cases(harness *h, const char *const cases[][3], size_t n);

/* Starts the server on harness_start_tree's tree with s1a (a street office's
 * sub-office) under s1 and c4 under s1a, and returns the administrator's
 * connection; NULL when any step failed. */
SSL *org_start_unit_tree(harness *h);

/* Fails the test unless the org change `r` (freed here) is of `body_case`
 * and changed `want` rows (-1: either). */
void org_assert_changed(Huizong__Response *r, Huizong__Response__BodyCase body_case, int want);

/* Fails the test unless the refusal `r` (freed here) has status `want` and
 * `message`, and the audit of `h` has `audit` rows: nothing was written. */
void org_assert_refused(harness *h, Huizong__Response *r, Huizong__Status want, const char *message,
                        long audit);

#endif
