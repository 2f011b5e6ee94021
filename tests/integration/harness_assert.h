/* The cmocka side of the harness: the checks and connections that most
 * integration tests make, failing the running test with one clear line. */
#ifndef HZ_IT_HARNESS_ASSERT_H
#define HZ_IT_HARNESS_ASSERT_H

#include "harness.h"

/* Issues credentials for (unit, role), connects and says Hello; fails the
 * test unless all of that worked. */
SSL *harness_connect_as(harness *h, const char *unit, const char *role);
/* Fails the test unless r is a response with status `want` (the message
 * is quoted when it is not). */
void harness_assert_status(const Huizong__Response *r, Huizong__Status want);
/* Fails the test unless `needle` occurs in `hay`. */
void harness_assert_contains(const char *hay, const char *needle);

#endif
