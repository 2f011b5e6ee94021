/* Helpers of the period integration tests: requests written as JSON (proto
 * field names, the same mapping the server uses), and a snapshot of every
 * table a refused call must leave alone. */
#ifndef HZ_IT_HARNESS_PERIOD_H
#define HZ_IT_HARNESS_PERIOD_H

#include "harness.h"

/* A Request built from printf-formatted JSON, e.g.
 * hp_request("{\"request_id\": 7, \"period_lock\": {\"unit_code\": \"s1\"}}").
 * Aborts on malformed JSON (a bug in the test). Free with rec_free. */
Huizong__Request *hp_request(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Sends the JSON request on ssl and returns the response (NULL: none). */
Huizong__Response *hp_call(SSL *ssl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Row counts of the record, submission, rule, lock, nil, correction and
 * audit tables, as one malloc'd string; equal before and after a refused
 * call when it wrote nothing. */
char *hp_snapshot(harness *h);

#endif
