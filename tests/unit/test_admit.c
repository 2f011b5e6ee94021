/* Admission's rules (admit.h) on connections that exist only in memory: the
 * address a limit counts by, the per-address limit, the oldest dropped for a
 * newcomer from another address, the authenticated ceiling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "conn/admit.h"
#include "conn/conn.h"
#include "conn/server.h"

static server S;

static int setup(void **state)
{
    (void)state;
    memset(&S, 0, sizeof(S));
    options_defaults(&S.opt);
    S.opt.max_handshakes = 4;
    S.opt.max_handshakes_per_address = 2;
    S.opt.max_authenticated = 1;
    S.opt.max_connections = 100;
    S.base = event_base_new();
    return S.base ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    event_base_loop(S.base, EVLOOP_NONBLOCK); /* frees what was dropped */
    event_base_free(S.base);
    return 0;
}

static admit_addr v4(const char *ip)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    admit_addr a;

    inet_pton(AF_INET, ip, &sa.sin_addr);
    admit_addr_of(&a, (struct sockaddr *)&sa);
    return a;
}

static admit_addr v6(const char *ip)
{
    struct sockaddr_in6 sa = {.sin6_family = AF_INET6};
    admit_addr a;

    inet_pton(AF_INET6, ip, &sa.sin6_addr);
    admit_addr_of(&a, (struct sockaddr *)&sa);
    return a;
}

/* What conn_accept does once admission said yes. */
static conn *accept_from(admit_addr a)
{
    conn *c;

    if (admit_accept(&S, &a) != 0)
        return NULL;
    c = calloc(1, sizeof(*c));
    assert_non_null(c);
    c->srv = &S;
    c->addr = a;
    strcpy(c->peer, "test");
    S.nconns++;
    admit_enter(c);
    return c;
}

static void test_addresses(void **state)
{
    admit_addr a = v4("10.1.2.3"), b = v6("::ffff:10.1.2.3"), c = v6("2001:db8:1:2::5"),
               d = v6("2001:db8:1:2:ffff::9"), e = v6("2001:db8:1:3::5");

    (void)state;
    assert_int_equal(a.len, 4);
    assert_int_equal(b.len, 4);
    assert_memory_equal(a.bytes, b.bytes, 4); /* v4-mapped is the IPv4 address */
    assert_int_equal(c.len, 8);
    assert_memory_equal(c.bytes, d.bytes, 8); /* one /64 */
    assert_memory_not_equal(c.bytes, e.bytes, 8);
}

static void test_pools(void **state)
{
    conn *x1, *x2, *y, *w, *z;

    (void)state;
    assert_non_null(x1 = accept_from(v4("10.0.0.1")));
    assert_non_null(x2 = accept_from(v4("10.0.0.1")));
    /* Per address: a third from 10.0.0.1 is refused, though the pool is not full. */
    assert_null(accept_from(v4("10.0.0.1")));
    assert_int_equal(S.stats.admission[ADMIT_REFUSED_ADDRESS], 1);
    assert_non_null(y = accept_from(v4("10.0.0.2")));
    assert_non_null(w = accept_from(v4("10.0.0.4")));
    assert_int_equal(S.admission.handshaking, 4);
    /* Full: an address already in the pool is refused... */
    assert_null(accept_from(v4("10.0.0.2")));
    assert_int_equal(S.stats.admission[ADMIT_REFUSED_HANDSHAKES], 1);
    /* ...a new one takes the place of the oldest (x1). */
    assert_non_null(z = accept_from(v4("10.0.0.3")));
    assert_int_equal(S.stats.admission[ADMIT_DROPPED], 1);
    assert_int_equal(x1->state, CONN_CLOSED);
    assert_int_equal(x1->admitted, ADMIT_NONE);
    assert_int_equal(S.admission.handshaking, 4);
    assert_ptr_equal(S.admission.oldest, x2);
    assert_ptr_equal(S.admission.newest, z);
    assert_int_equal(S.stats.connections_refused, 2);
    /* Hello: one place past Hello; the second Hello is refused and stays put. */
    assert_int_equal(admit_hello(z), 0);
    assert_int_equal(S.admission.authenticated, 1);
    assert_int_equal(S.admission.handshaking, 3);
    assert_int_equal(admit_hello(y), -1);
    assert_int_equal(S.stats.admission[ADMIT_REFUSED_AUTHENTICATED], 1);
    assert_int_equal(y->admitted, ADMIT_HANDSHAKE);
    /* Leaving frees the place, once. */
    admit_leave(z);
    admit_leave(z);
    assert_int_equal(S.admission.authenticated, 0);
    admit_leave(x2);
    admit_leave(y);
    admit_leave(w);
    assert_int_equal(S.admission.handshaking, 0);
    assert_null(S.admission.oldest);
    assert_null(S.admission.newest);
    S.nconns -= 4;
    free(x2);
    free(y);
    free(w);
    free(z);
}

static void test_max_connections_nothing_to_drop(void **state)
{
    (void)state;
    S.opt.max_connections = S.nconns; /* all taken (x1, not freed yet), none without Hello */
    assert_null(accept_from(v4("10.0.0.9")));
    assert_int_equal(S.stats.admission[ADMIT_REFUSED_CONNECTIONS], 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_pools),
        cmocka_unit_test(test_max_connections_nothing_to_drop),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
