/* Large batches at once against a real huizongd and PostgreSQL: eight
 * communities each send a 5000-record batch at the same moment, a few
 * rounds; every batch is acknowledged OK and PostgreSQL holds exactly what
 * was acknowledged. One invalid batch among valid ones gets its exact error
 * and writes nothing, while its neighbours are all written. The server
 * groups four batches per transaction (group commit, with a window long
 * enough that each group fills), so the invalid batch shares its
 * transaction with three valid ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cmocka.h>
#include <openssl/ssl.h>

#include "harness.h"
#include "harness_assert.h"
#include "records.h"

#define LOAD_CLIENTS 8
#define LOAD_RECORDS 5000
#define LOAD_ROUNDS 2

static harness H;

static const char *const categories[] = {"fire", "culture", "visit", "antidrug", "volunteer"};

static int group_setup(void **state)
{
    harness_opts o = {.args = {"--max_frame_bytes=4194304", "--group_commit_max=4",
                               "--group_commit_window=20s", NULL}};
    (void)state;
    if (harness_start(&H, &o) != 0 || harness_setup_tree(&H) != 0)
        return -1;
    SSL *admin = harness_connect_admin(&H);
    for (int i = 0; i < LOAD_CLIENTS; i++) {
        char code[16], name[32];
        snprintf(code, sizeof code, "l%d", i);
        snprintf(name, sizeof name, "负载社区%d", i);
        if (harness_unit_add(admin, code, name, "s1", "community") != HUIZONG__STATUS__OK)
            return -1;
    }
    harness_close(admin);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return harness_stop(&H) == 0 ? 0 : -1;
}

/* A batch of n activities of `unit` spread over 2021, realistic titles. */
static Huizong__Request *load_batch(uint64_t request_id, const char *unit, int n)
{
    Huizong__Request *req = rec_request(request_id);
    Huizong__SubmitBatch *b = rec_submit(req);
    for (int i = 0; i < n; i++) {
        char date[16], title[160];
        snprintf(date, sizeof date, "2021-%02d-%02d", i % 12 + 1, i % 28 + 1);
        snprintf(title, sizeof title, "社区新时代文明实践站组织志愿者开展入户走访慰问困难群众第%d次", i);
        rec_activity(b, unit, date, categories[i % 5], i % 200, title);
    }
    return req;
}

/* The server's group commit counters: transactions and their largest. */
static void group_stats(uint64_t *groups, uint64_t *batches, uint64_t *max)
{
    SSL *admin = harness_connect_admin(&H);
    Huizong__Request *req = rec_request(900);
    Huizong__StatsRequest *st = malloc(sizeof *st);
    assert_non_null(st);
    huizong__stats_request__init(st);
    req->body_case = HUIZONG__REQUEST__BODY_STATS;
    req->stats = st;
    Huizong__Response *r = harness_call(admin, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    *groups = r->stats->submit_groups;
    *batches = r->stats->submit_group_batches;
    *max = r->stats->submit_group_max;
    harness_response_free(r);
    rec_free(req);
    harness_close(admin);
}

/* A community's connection that waits for a group's commit longer than the
 * harness's usual read timeout: four 5000-record batches in one transaction
 * take seconds on a loaded machine under the sanitizers. */
static SSL *load_connect(const char *unit)
{
    SSL *s = harness_connect_as(&H, unit, "community");
    struct timeval tv = {180, 0};
    assert_int_equal(setsockopt(SSL_get_fd(s), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    return s;
}

static long activities_of(const char *unit)
{
    return harness_pg_count(&H, "select count(*) from activity a join org_unit u on u.id = a.unit_id"
                                " where u.code = $1", unit);
}

/* Sends every request first, then reads every answer: the batches reach the
 * server together. */
static void send_all(SSL **s, Huizong__Request **req, Huizong__Response **resp, int n)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(harness_send_request(s[i], req[i]), 0);
    for (int i = 0; i < n; i++) {
        resp[i] = harness_recv_response(s[i]);
        assert_non_null(resp[i]);
    }
}

static void test_eight_large_batches_at_once(void **state)
{
    SSL *s[LOAD_CLIENTS];
    Huizong__Request *req[LOAD_CLIENTS];
    Huizong__Response *resp[LOAD_CLIENTS];
    char unit[16];
    (void)state;

    for (int i = 0; i < LOAD_CLIENTS; i++) {
        snprintf(unit, sizeof unit, "l%d", i);
        s[i] = load_connect(unit);
    }
    for (int round = 1; round <= LOAD_ROUNDS; round++) {
        for (int i = 0; i < LOAD_CLIENTS; i++) {
            snprintf(unit, sizeof unit, "l%d", i);
            req[i] = load_batch((uint64_t)(round * 100 + i), unit, LOAD_RECORDS);
        }
        send_all(s, req, resp, LOAD_CLIENTS);
        for (int i = 0; i < LOAD_CLIENTS; i++) {
            harness_assert_status(resp[i], HUIZONG__STATUS__OK);
            assert_int_equal(resp[i]->request_id, round * 100 + i);
            assert_int_equal(resp[i]->submit->accepted, LOAD_RECORDS);
            assert_int_equal(resp[i]->submit->duplicates, 0);
            harness_response_free(resp[i]);
            rec_free(req[i]);
            snprintf(unit, sizeof unit, "l%d", i);
            assert_int_equal(activities_of(unit), (long)round * LOAD_RECORDS);
        }
    }
    assert_int_equal(harness_pg_count(&H, "select count(*) from submission s join org_unit u"
                                          " on u.id = s.unit_id where u.code like 'l%'", NULL),
                     LOAD_CLIENTS * LOAD_ROUNDS);
    uint64_t groups, batches, max;
    group_stats(&groups, &batches, &max);
    assert_int_equal(batches, LOAD_CLIENTS * LOAD_ROUNDS);
    assert_int_equal(groups, LOAD_CLIENTS * LOAD_ROUNDS / 4);
    assert_int_equal(max, 4);
    for (int i = 0; i < LOAD_CLIENTS; i++)
        harness_close(s[i]);
}

/* Three valid batches and, among them, one with an unknown category in its
 * record 4321 (only the database knows the categories). */
static void test_invalid_batch_among_valid(void **state)
{
    enum { N = 4, BAD = 2 };
    uint64_t groups0, batches0, max, groups, batches;
    SSL *s[N];
    Huizong__Request *req[N];
    Huizong__Response *resp[N];
    long before[N];
    char unit[16];
    (void)state;

    for (int i = 0; i < N; i++) {
        snprintf(unit, sizeof unit, "l%d", i);
        s[i] = load_connect(unit);
        req[i] = load_batch((uint64_t)(500 + i), unit, LOAD_RECORDS);
        before[i] = activities_of(unit);
    }
    rec_set(&req[BAD]->submit->activities[4321]->category, "nosuch");
    long subs = harness_pg_count(&H, "select count(*) from submission", NULL);
    group_stats(&groups0, &batches0, &max);
    send_all(s, req, resp, N);
    group_stats(&groups, &batches, &max);
    assert_int_equal(groups - groups0, 1); /* all four in one transaction */
    assert_int_equal(batches - batches0, N);
    for (int i = 0; i < N; i++) {
        snprintf(unit, sizeof unit, "l%d", i);
        if (i == BAD) {
            harness_assert_status(resp[i], HUIZONG__STATUS__INVALID_ARGUMENT);
            assert_string_equal(resp[i]->message,
                                "batch refused: 1 invalid field(s); nothing was written");
            assert_int_equal(resp[i]->n_errors, 1);
            assert_string_equal(resp[i]->errors[0]->kind, "activity");
            assert_int_equal(resp[i]->errors[0]->index, 4321);
            assert_string_equal(resp[i]->errors[0]->field, "category");
            assert_string_equal(resp[i]->errors[0]->reason, "unknown category \"nosuch\"");
            assert_int_equal(activities_of(unit), before[i]);
        } else {
            harness_assert_status(resp[i], HUIZONG__STATUS__OK);
            assert_int_equal(resp[i]->submit->accepted, LOAD_RECORDS);
            assert_int_equal(activities_of(unit), before[i] + LOAD_RECORDS);
        }
        harness_response_free(resp[i]);
        rec_free(req[i]);
        harness_close(s[i]);
    }
    assert_int_equal(harness_pg_count(&H, "select count(*) from submission", NULL), subs + N - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eight_large_batches_at_once),
        cmocka_unit_test(test_invalid_batch_among_valid),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
