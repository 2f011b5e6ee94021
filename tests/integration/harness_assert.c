/* cmocka checks shared by the integration tests. */
#include "harness_assert.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wire.h"

SSL *harness_connect_as(harness *h, const char *unit, const char *role)
{
    const char *creds = harness_issue_creds(h, unit, role);
    assert_non_null(creds);
    SSL *s = harness_connect_hello(h, creds);
    assert_non_null(s);
    return s;
}

void harness_assert_status(const Huizong__Response *r, Huizong__Status want)
{
    assert_non_null(r);
    if (r->status != want)
        fail_msg("status %s (\"%s\"), want %s", wire_status_name(r->status), r->message,
                 wire_status_name(want));
}

void harness_assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}
