/* integration.rollup's concurrent phase: every community submits and
 * amends at the same time over several connections (group commit joins
 * the batches; two movers of one community move records between two months
 * in opposite directions), then the checks of rollup_verify.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "harness_assert.h"
#include "harness_period.h"
#include "rollup_concurrent.h"
#include "rollup_verify.h"

#define CC_ROUNDS 10
#define CC_BATCH 20
#define CC_MOVED 6   /* records each mover amends */

enum { W_SUBMIT, W_UP, W_DOWN };

typedef struct {
    int unit, role;
    SSL *ssl;
    rng g;
    int first;            /* the movers' records: recs[first .. first + CC_MOVED) */
    int calls, failures;
    char failure[512];
} worker_t;

static void worker_call(worker_t *w, const char *json)
{
    Huizong__Response *r = hp_call(w->ssl, "%s", json);
    w->calls++;
    if (!r || r->status != HUIZONG__STATUS__OK) {
        if (!w->failures++)
            snprintf(w->failure, sizeof w->failure, "%s of %s: %s", w->role == W_SUBMIT ? "submit" : "amend",
                     COMM[w->unit], r ? r->message : "no answer");
    }
    if (r)
        harness_response_free(r);
}

/* Batches of new activities (some in the movers' rollup rows), one
 * indicator value each, and the previous batch's first records again. */
static void *worker_submit(worker_t *w)
{
    static __thread char json[CC_BATCH * JSON_MAX * 2];
    rec_t prev[3], r;
    for (int round = 0; round < CC_ROUNDS; round++) {
        size_t len = (size_t)snprintf(json, sizeof json, "{\"request_id\": %d, \"submit\": {\"activities\": [",
                                      round + 1);
        for (int i = 0; i < CC_BATCH; i++) {
            random_activity(&w->g, &r, w->unit, 0);
            snprintf(r.date, sizeof r.date, "2023-%02d-%02d", rng_chance(&w->g, 50) ? 3 + 2 * (i & 1)
                     : 1 + rng_below(&w->g, 12), 1 + rng_below(&w->g, 28));
            r.cat = rng_chance(&w->g, 50) ? 0 : r.cat;
            content_json(&r, r.first, sizeof r.first);
            len += (size_t)snprintf(json + len, sizeof json - len, "%s%s", i ? ", " : "", r.first);
            if (i < 3) {
                if (round > 0)
                    len += (size_t)snprintf(json + len, sizeof json - len, ", %s", prev[i].first);
                prev[i] = r;
            }
        }
        memset(&r, 0, sizeof r);
        rng_uuid(&w->g, r.id);
        r.unit = w->unit;
        r.kind = K_IND;
        r.value = round + 1;
        snprintf(r.period, sizeof r.period, "2023-%02d", round % 12 + 1);
        content_json(&r, r.first, sizeof r.first);
        snprintf(json + len, sizeof json - len, "], \"indicator_values\": [%s]}}", r.first);
        worker_call(w, json);
    }
    return NULL;
}

/* Moves its records between 2023-03 and 2023-05 and back, changing their
 * counts, while the other mover of its community moves the other way: two
 * transactions that touch the same two rollup rows in opposite orders. */
static void *worker_move(worker_t *w)
{
    char json[2 * JSON_MAX], content[JSON_MAX];
    for (int round = 0; round < CC_ROUNDS; round++) {
        int to = (round % 2 == 0) == (w->role == W_UP) ? 5 : 3;
        for (int i = 0; i < CC_MOVED; i++) {
            rec_t *r = &recs[w->first + i];
            snprintf(r->date, sizeof r->date, "2023-%02d-%02d", to, 1 + i);
            r->part = rng_below(&w->g, 100);
            r->unknown = rng_chance(&w->g, 20);
            r->at_least = 0;
            content_json(r, content, sizeof content);
            snprintf(json, sizeof json, "{\"request_id\": %d, \"record_amend\": {\"record_id\": \"%s\","
                     " \"activity\": %s}}", round * CC_MOVED + i + 1, r->id, content);
            worker_call(w, json);
        }
    }
    return NULL;
}

static void *worker_run(void *arg)
{
    worker_t *w = arg;
    return w->role == W_SUBMIT ? worker_submit(w) : worker_move(w);
}

/* The server's group commit: its largest transaction in batches. */
static uint64_t group_max(SSL *admin)
{
    Huizong__Request *req = rec_request(next_request++);
    Huizong__StatsRequest *st = malloc(sizeof *st);
    assert_non_null(st);
    huizong__stats_request__init(st);
    req->body_case = HUIZONG__REQUEST__BODY_STATS;
    req->stats = st;
    Huizong__Response *r = harness_call(admin, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    uint64_t max = r->stats->submit_group_max;
    fprintf(stderr, "rollup: group commit: %llu transactions of %llu batches, at most %llu\n",
            (unsigned long long)r->stats->submit_groups, (unsigned long long)r->stats->submit_group_batches,
            (unsigned long long)max);
    harness_response_free(r);
    rec_free(req);
    return max;
}

/* The movers' records: half in 2023-03, half in 2023-05, one category. */
static int seed_movers(SSL *ssl, rng *g, int unit)
{
    static char json[4 * CC_MOVED * JSON_MAX];
    int first = n_recs;
    size_t len = (size_t)snprintf(json, sizeof json, "{\"request_id\": %llu, \"submit\": {\"activities\": [",
                                  (unsigned long long)next_request++);
    for (int i = 0; i < 2 * CC_MOVED; i++) {
        rec_t r;
        random_activity(g, &r, unit, 0);
        snprintf(r.date, sizeof r.date, "2023-%02d-%02d", i < CC_MOVED ? 3 : 5, 1 + i % CC_MOVED);
        r.cat = 0;
        content_json(&r, r.first, sizeof r.first);
        len += (size_t)snprintf(json + len, sizeof json - len, "%s%s", i ? ", " : "", r.first);
        add_rec(&r);
    }
    snprintf(json + len, sizeof json - len, "]}}");
    Huizong__Response *r = hp_call(ssl, "%s", json);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->submit->accepted, 2 * CC_MOVED);
    harness_response_free(r);
    return first;
}

void rollup_concurrent_phase(harness *h, SSL *const comm[N_COMM], SSL *admin, SSL *dist,
                             uint64_t seed)
{
    rng g = {seed ^ 0x5eed};
    worker_t w[3 * N_COMM];
    pthread_t t[3 * N_COMM];

    for (int u = 0; u < N_COMM; u++) {
        int first = seed_movers(comm[u], &g, u);
        for (int k = 0; k < 3; k++) {
            worker_t *x = &w[3 * u + k];
            memset(x, 0, sizeof *x);
            x->unit = u;
            x->role = k;
            x->g.s = seed * 31 + (uint64_t)(3 * u + k);
            x->ssl = k == W_SUBMIT ? comm[u] : harness_connect_as(h, COMM[u], "community");
            x->first = first + (k == W_DOWN ? CC_MOVED : 0);
        }
    }
    rollup_verify_step(dist, "the movers' records");
    for (int i = 0; i < 3 * N_COMM; i++)
        assert_int_equal(pthread_create(&t[i], NULL, worker_run, &w[i]), 0);
    int failures = 0, calls = 0;
    for (int i = 0; i < 3 * N_COMM; i++) {
        pthread_join(t[i], NULL);
        calls += w[i].calls;
        failures += w[i].failures;
        if (w[i].failures)
            fprintf(stderr, "rollup: concurrent: %d of %d calls failed, first: %s\n", w[i].failures,
                    w[i].calls, w[i].failure);
        if (w[i].role != W_SUBMIT)
            harness_close(w[i].ssl);
    }
    fprintf(stderr, "rollup: concurrent: %d calls, %d failed\n", calls, failures);
    rollup_verify_step(dist, "the concurrent phase");
    assert_int_equal(failures, 0);
    assert_true(group_max(admin) >= 2);
}
