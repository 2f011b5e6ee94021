/* admin stats against a real huizongd: after a known sequence of requests the
 * counters moved by exactly what was sent; only an admin may see them; the
 * latencies are there and ordered. Counters are compared as the difference
 * of two snapshots, so what the group setup did does not matter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"
#include "harness_assert.h"
#include "records.h"
#include "wire.h"

static harness H;

static int group_setup(void **state)
{
    (void)state;
    return harness_start_tree(&H);
}

static int group_teardown(void **state)
{
    (void)state;
    return harness_stop(&H) == 0 ? 0 : -1;
}

static Huizong__Request *stats_request(uint64_t id)
{
    Huizong__Request *r = rec_request(id);
    Huizong__StatsRequest *s = malloc(sizeof *s);
    assert_non_null(s);
    huizong__stats_request__init(s);
    r->body_case = HUIZONG__REQUEST__BODY_STATS;
    r->stats = s;
    return r;
}

/* One StatsResult over `s` (free with harness_response_free). */
static Huizong__Response *stats_call(SSL *s, uint64_t id)
{
    Huizong__Request *req = stats_request(id);
    Huizong__Response *r = harness_call(s, req);
    rec_free(req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->request_id, id);
    assert_int_equal(r->body_case, HUIZONG__RESPONSE__BODY_STATS);
    return r;
}

/* Asks until only `open` connections are left (earlier tests' closes are
 * seen by the server a little later), at most 10 s. */
static Huizong__Response *stats_settled(SSL *s, uint64_t open)
{
    for (int i = 0; i < 200; i++) {
        Huizong__Response *r = stats_call(s, 1000 + (uint64_t)i);
        if (r->stats->connections_current == open)
            return r;
        harness_response_free(r);
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    }
    fail_msg("the server still counts other connections than the %llu expected",
             (unsigned long long)open);
    return NULL;
}

static const Huizong__StatsRequestType zero_type = HUIZONG__STATS_REQUEST_TYPE__INIT;

/* The row of a request type; an all-zero row when the type was never seen. */
static const Huizong__StatsRequestType *type_row(const Huizong__StatsResult *s, const char *type)
{
    for (size_t i = 0; i < s->n_request_types; i++)
        if (strcmp(s->request_types[i]->type, type) == 0)
            return s->request_types[i];
    return &zero_type;
}

static uint64_t lat_count(const Huizong__StatsRequestType *t)
{
    return t->latency ? t->latency->count : 0;
}

/* The change of one type's counters between two snapshots. */
static void assert_type_delta(const Huizong__StatsResult *a, const Huizong__StatsResult *b,
                              const char *type, uint64_t count, uint64_t ok, uint64_t refused)
{
    const Huizong__StatsRequestType *x = type_row(a, type), *y = type_row(b, type);

    if (y->count - x->count != count || y->ok - x->ok != ok || y->refused - x->refused != refused ||
        y->failed != x->failed)
        fail_msg("%s: +%llu count, +%llu ok, +%llu refused, +%llu failed; want +%llu, +%llu, +%llu, +0",
                 type, (unsigned long long)(y->count - x->count), (unsigned long long)(y->ok - x->ok),
                 (unsigned long long)(y->refused - x->refused),
                 (unsigned long long)(y->failed - x->failed), (unsigned long long)count,
                 (unsigned long long)ok, (unsigned long long)refused);
    assert_int_equal(lat_count(y) - lat_count(x), ok + refused);
}

static void submit_three(SSL *s)
{
    Huizong__Request *req = rec_request(10);
    Huizong__SubmitBatch *b = rec_submit(req);
    rec_activity(b, "c1", "2020-04-12", "fire", 40, "消防安全讲座");
    rec_indicator(b, "c1", "briefs", "2020-03", 2);
    rec_honor(b, "c1", "2020-06-11", "太极拳比赛一等奖", "district");
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->submit->accepted, 3);
    harness_response_free(r);
    rec_free(req);
}

static void summary_one(SSL *s)
{
    Huizong__Request *req = rec_request(11);
    rec_summary(req, 2020, "c1");
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    harness_response_free(r);
    rec_free(req);
}

/* A batch with no records: refused before the database. */
static void submit_empty(SSL *s)
{
    Huizong__Request *req = rec_request(12);
    rec_submit(req);
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT);
    assert_string_equal(r->message, "batch holds no records");
    harness_response_free(r);
    rec_free(req);
}

/* 2 Hellos, 1 submit of 3 records, 1 summary, 1 bad request. */
static void test_counters_exact(void **state)
{
    (void)state;
    SSL *admin = harness_connect_as(&H, "d1", "admin");
    Huizong__Response *r0 = stats_settled(admin, 1);
    SSL *c1 = harness_connect_as(&H, "c1", "community");
    SSL *d1 = harness_connect_as(&H, "d1", "district");
    submit_three(c1);
    summary_one(d1);
    submit_empty(c1);
    Huizong__Response *r1 = stats_call(admin, 2);
    const Huizong__StatsResult *a = r0->stats, *b = r1->stats;

    assert_int_equal(b->connections_current, 3);
    assert_int_equal(b->connections_accepted - a->connections_accepted, 2);
    assert_int_equal(b->connections_refused - a->connections_refused, 0);
    assert_int_equal(b->handshakes_failed - a->handshakes_failed, 0);
    /* 2 Hellos, 2 submits, 1 summary, and the second stats request itself. */
    assert_int_equal(b->requests - a->requests, 6);
    assert_int_equal(b->requests_malformed - a->requests_malformed, 0);
    assert_int_equal(b->records_committed - a->records_committed, 3);
    assert_type_delta(a, b, "hello", 2, 2, 0);
    assert_type_delta(a, b, "submit", 2, 1, 1);
    assert_type_delta(a, b, "summary", 1, 1, 0);
    /* The first stats reply was queued after its snapshot; this one not yet. */
    assert_type_delta(a, b, "stats", 1, 1, 0);
    assert_int_equal(type_row(b, "other")->count, 0);
    assert_int_equal(b->db_pool_size, 4);
    assert_in_range(b->db_connected, 1, 4);
    assert_int_equal(b->db_queue_length, 0);
    assert_string_equal(b->server_version, "huizongd/" HZ_VERSION);
    harness_response_free(r0);
    harness_response_free(r1);
    harness_close(c1);
    harness_close(d1);
    harness_close(admin);
}

static void test_latencies_ordered(void **state)
{
    (void)state;
    SSL *admin = harness_connect_as(&H, "d1", "admin");
    Huizong__Response *r = stats_call(admin, 3);
    static const char *const types[] = {"hello", "unit_add", "submit", "summary", "stats"};

    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        const Huizong__StatsRequestType *t = type_row(r->stats, types[i]);
        const Huizong__StatsLatency *l = t->latency;
        if (!l || l->count == 0)
            fail_msg("%s: no latency", types[i]);
        if (!(l->p50_us <= l->p99_us && l->p99_us <= l->max_us))
            fail_msg("%s: p50 %llu, p99 %llu, max %llu us: not ordered", types[i],
                     (unsigned long long)l->p50_us, (unsigned long long)l->p99_us,
                     (unsigned long long)l->max_us);
    }
    /* A database round trip takes time; a Hello checks revocation there. */
    assert_true(type_row(r->stats, "hello")->latency->max_us > 0);
    harness_response_free(r);
    harness_close(admin);
}

/* An export of c1's 2020 records one per chunk: several replies, one request. */
static void test_streamed_export_counted_once(void **state)
{
    (void)state;
    SSL *admin = harness_connect_as(&H, "d1", "admin");
    Huizong__Response *r0 = stats_call(admin, 20);
    SSL *d1 = harness_connect_as(&H, "d1", "district");
    Huizong__Request *req = rec_request(21);
    Huizong__ExportRequest *e = malloc(sizeof *e);
    assert_non_null(e);
    huizong__export_request__init(e);
    e->year = 2020;
    rec_set(&e->unit_code, "c1");
    e->page_size = 1;
    req->body_case = HUIZONG__REQUEST__BODY_EXPORT;
    req->export = e;
    assert_int_equal(harness_send_request(d1, req), 0);
    int chunks = 0, last = 0;
    while (!last) {
        Huizong__Response *r = harness_recv_response(d1);
        harness_assert_status(r, HUIZONG__STATUS__OK);
        assert_int_equal(r->body_case, HUIZONG__RESPONSE__BODY_EXPORT);
        last = r->export->last;
        chunks++;
        harness_response_free(r);
    }
    assert_true(chunks >= 3); /* the three records of test_counters_exact */
    rec_free(req);
    Huizong__Response *r1 = stats_call(admin, 22);
    assert_type_delta(r0->stats, r1->stats, "export", 1, 1, 0);
    harness_response_free(r0);
    harness_response_free(r1);
    harness_close(d1);
    harness_close(admin);
}

static void assert_denied(const char *unit, const char *role, const char *want)
{
    SSL *s = harness_connect_as(&H, unit, role);
    Huizong__Request *req = stats_request(4);
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__PERMISSION_DENIED);
    assert_int_equal(r->request_id, 4);
    assert_int_equal(r->body_case, HUIZONG__RESPONSE__BODY__NOT_SET);
    assert_string_equal(r->message, want);
    harness_response_free(r);
    rec_free(req);
    harness_close(s);
}

static void test_non_admin_denied(void **state)
{
    (void)state;
    SSL *admin = harness_connect_as(&H, "d1", "admin");
    Huizong__Response *r0 = stats_call(admin, 5);
    assert_denied("d1", "district",
                  "only an administrator can see the server's counters; this certificate is district for \"d1\"");
    assert_denied("c1", "community",
                  "only an administrator can see the server's counters; this certificate is community for \"c1\"");
    Huizong__Response *r1 = stats_call(admin, 6);
    /* The refusals are counted, as refused stats requests. */
    assert_type_delta(r0->stats, r1->stats, "stats", 3, 1, 2);
    harness_response_free(r0);
    harness_response_free(r1);
    harness_close(admin);
}

/* A frame that is no Request, and a Request with no body. */
static void test_malformed_and_unknown(void **state)
{
    (void)state;
    SSL *admin = harness_connect_as(&H, "d1", "admin");
    Huizong__Response *r0 = stats_call(admin, 7);
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *empty = rec_request(8);
    Huizong__Response *r = harness_call(s, empty);
    harness_assert_status(r, HUIZONG__STATUS__UNIMPLEMENTED);
    harness_response_free(r);
    rec_free(empty);
    static const uint8_t junk[] = {0, 0, 0, 2, 0xff, 0xff};
    assert_int_equal(harness_send_raw(s, junk, sizeof junk), 0);
    r = harness_recv_response(s);
    harness_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT);
    harness_response_free(r);
    assert_int_equal(harness_wait_close(s), 1);
    harness_close(s);
    Huizong__Response *r1 = stats_call(admin, 9);
    assert_int_equal(r1->stats->requests_malformed - r0->stats->requests_malformed, 1);
    /* Hello, the empty request and this stats request; not the junk frame. */
    assert_int_equal(r1->stats->requests - r0->stats->requests, 3);
    assert_type_delta(r0->stats, r1->stats, "other", 1, 0, 1);
    harness_response_free(r0);
    harness_response_free(r1);
    harness_close(admin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counters_exact),
        cmocka_unit_test(test_streamed_export_counted_once),
        cmocka_unit_test(test_latencies_ordered),
        cmocka_unit_test(test_non_admin_denied),
        cmocka_unit_test(test_malformed_and_unknown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
