/* The live rollups (sql/092_rollups.sql) stay exact whatever writes the
 * records, against a real huizongd and PostgreSQL: a seeded, bounded random
 * sequence of submits (with duplicates and superseded re-sends), amends
 * (counts, unknown counts, lower bounds, another month or category),
 * retractions, nil reports, locks and unlocks, and corrections filed,
 * approved and rejected, across five communities under two streets. After
 * every step every rollup row equals its recomputation from the raw rows
 * (rollup_check.sql, both directions) and every form of hz_summary equals
 * the same computed by the test's own SQL (rollup_summary.sql). Then a
 * concurrent phase: every community submits and amends at the same time
 * over several connections (group commit joins the batches), and the same
 * checks follow.
 *
 * HZ_ROLLUP_SEED (default 13) and HZ_ROLLUP_STEPS (default 300) choose the
 * sequence; the seed is printed, so a failure is replayed with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "harness_assert.h"
#include "harness_period.h"
#include "records.h"
#include "rollup_concurrent.h"
#include "rollup_model.h"
#include "rollup_verify.h"

static harness H;
static SSL *comm[N_COMM], *admin, *dist;

/* --- the server ------------------------------------------------------------ */


static int group_setup(void **state)
{
    /* A window long enough that batches sent at once share a transaction. */
    harness_opts o = {.args = {"--group_commit_window=10ms", NULL}};
    (void)state;
    if (harness_start(&H, &o) != 0 || harness_setup_tree(&H) != 0 ||
        rollup_verify_open(&H, HZ_IT_SRC_DIR) != 0)
        return -1;
    SSL *a = harness_connect_admin(&H);
    int added = a && harness_unit_add(a, "c4", "第四社区", "s2", "community") == HUIZONG__STATUS__OK &&
                harness_unit_add(a, "c5", "第五社区", "s1", "community") == HUIZONG__STATUS__OK;
    harness_close(a);
    return added ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    rollup_verify_close();
    return harness_stop(&H) == 0 ? 0 : -1;
}

/* The connections, made inside a test (harness_connect_as asserts). */
static void connect_all(void)
{
    if (admin)
        return;
    for (int i = 0; i < N_COMM; i++)
        comm[i] = harness_connect_as(&H, COMM[i], "community");
    admin = harness_connect_as(&H, "d1", "admin");
    dist = harness_connect_as(&H, "d1", "district");
}

/* --- the steps --------------------------------------------------------------- */

enum { ST_SUBMIT, ST_AMEND, ST_RETRACT, ST_NIL, ST_LOCK, ST_UNLOCK, ST_DECIDE, ST_N };
static const char *const STEP_NAME[ST_N] = {"submit", "amend", "retract", "nil report", "lock", "unlock",
                                            "correction decision"};
static int step_ok[ST_N], step_refused[ST_N], corrections_filed, corrections_approved,
    corrections_rejected, duplicates_seen, superseded_seen;

static Huizong__Response *call_json(SSL *s, const char *json)
{
    Huizong__Response *r = hp_call(s, "%s", json);
    assert_non_null(r);
    return r;
}

static void step_submit(rng *g)
{
    static char json[64 * JSON_MAX];
    rec_t fresh[12];
    int n_fresh = 0, unit = rng_below(g, N_COMM), conflict = rng_chance(g, 5);
    size_t len = (size_t)snprintf(json, sizeof json, "{\"request_id\": %llu, \"submit\": {\"activities\": [",
                                  (unsigned long long)next_request++);
    int n_act = 1 + rng_below(g, 8), first = 1;
    for (int i = 0; i < n_act; i++) {
        random_activity(g, &fresh[n_fresh], unit, rng_chance(g, 95));
        len += (size_t)snprintf(json + len, sizeof json - len, "%s%s", first ? "" : ", ", fresh[n_fresh].first);
        n_fresh++;
        first = 0;
    }
    /* The same content again (a duplicate), or an amended record's first
     * version (superseded). */
    for (int i = 0; i < 2; i++) {
        int k = pick_live(g, K_ACT, unit);
        if (k < 0 || !rng_chance(g, 40))
            continue;
        char cur[JSON_MAX];
        content_json(&recs[k], cur, sizeof cur);
        len += (size_t)snprintf(json + len, sizeof json - len, ", %s",
                                recs[k].version > 1 && rng_chance(g, 50) ? recs[k].first : cur);
    }
    len += (size_t)snprintf(json + len, sizeof json - len, "], \"indicator_values\": [");
    int n_ind = rng_below(g, 4);
    first = 1;
    for (int i = 0; i < n_ind; i++) {
        if (!random_indicator(g, &fresh[n_fresh], unit, conflict && i == 0))
            continue;
        /* Two new values for one slot in one batch would refuse the batch. */
        int twice = 0;
        for (int j = n_act; j < n_fresh; j++)
            twice |= fresh[j].ind == fresh[n_fresh].ind && !strcmp(fresh[j].period, fresh[n_fresh].period);
        if (twice)
            continue;
        len += (size_t)snprintf(json + len, sizeof json - len, "%s%s", first ? "" : ", ", fresh[n_fresh].first);
        n_fresh++;
        first = 0;
    }
    snprintf(json + len, sizeof json - len, "]}}");
    assert_true(len + 4 < sizeof json);

    Huizong__Response *r = call_json(comm[unit], json);
    if (r->status == HUIZONG__STATUS__OK) {
        step_ok[ST_SUBMIT]++;
        duplicates_seen += (int)r->submit->duplicates;
        superseded_seen += (int)r->submit->superseded;
        for (int i = 0; i < n_fresh; i++)
            add_rec(&fresh[i]);
    } else {
        step_refused[ST_SUBMIT]++;
    }
    harness_response_free(r);
}

/* A changed copy of an activity: its count, unknown and back, a lower bound,
 * another month or another category. */
static void mutate_activity(rng *g, rec_t *n)
{
    char m[PERIOD_LEN];
    switch (rng_below(g, 6)) {
    case 0:
        n->part = (n->part + 1 + rng_below(g, 50)) % 150;
        n->unknown = 0;
        break;
    case 1:
        n->unknown = !n->unknown;
        n->at_least = 0;
        break;
    case 2:
        n->part = 45;
        n->unknown = 0;
        n->at_least = !n->at_least;
        break;
    case 3:
        month_of(random_month(g), m);
        snprintf(n->date, sizeof n->date, "%s-%02d", m, 1 + rng_below(g, 28));
        break;
    case 4:
        n->cat = (n->cat + 1 + rng_below(g, (int)N_CATS - 1)) % (int)N_CATS;
        break;
    default:
        month_of(random_month(g), m);
        snprintf(n->date, sizeof n->date, "%s-%02d", m, 1 + rng_below(g, 28));
        n->cat = rng_below(g, N_CATS);
        n->part = rng_below(g, 120);
        break;
    }
}

static void mutate_indicator(rng *g, rec_t *n)
{
    char period[PERIOD_LEN];
    if (rng_chance(g, 70)) {
        n->value = n->value + 1 + rng_below(g, 9);
        return;
    }
    random_period(g, n->ind, period);
    if (!slot_taken(n->unit, n->ind, period))
        snprintf(n->period, sizeof n->period, "%s", period);
    else
        n->value += 1;
}

/* A change refused because the period is locked becomes a correction. */
static void file_correction(int k, const rec_t *n, int retract)
{
    char json[2 * JSON_MAX], content[JSON_MAX];
    if (retract)
        snprintf(json, sizeof json,
                 "{\"request_id\": %llu, \"correction_file\": {\"record_id\": \"%s\", \"retract\": true,"
                 " \"reason\": \"报送有误\"}}",
                 (unsigned long long)next_request++, recs[k].id);
    else {
        content_json(n, content, sizeof content);
        snprintf(json, sizeof json,
                 "{\"request_id\": %llu, \"correction_file\": {\"record_id\": \"%s\", \"%s\": %s,"
                 " \"reason\": \"数字更正\"}}",
                 (unsigned long long)next_request++, recs[k].id,
                 n->kind == K_ACT ? "activity" : "indicator_value", content);
    }
    Huizong__Response *r = call_json(comm[recs[k].unit], json);
    if (r->status == HUIZONG__STATUS__OK && r->correction_file->created && n_pending < MAX_PENDING) {
        pending_t *p = &pending[n_pending++];
        p->rec = k;
        p->content = *n;
        p->retract = retract;
        p->id = (unsigned long long)r->correction_file->correction_id;
        corrections_filed++;
    }
    harness_response_free(r);
}

static void step_amend(rng *g)
{
    char json[2 * JSON_MAX], content[JSON_MAX];
    int k = pick_live(g, rng_chance(g, 75) ? K_ACT : K_IND, -1);
    if (k < 0)
        return;
    rec_t n = recs[k];
    if (n.kind == K_ACT)
        mutate_activity(g, &n);
    else
        mutate_indicator(g, &n);
    content_json(&n, content, sizeof content);
    snprintf(json, sizeof json, "{\"request_id\": %llu, \"record_amend\": {\"record_id\": \"%s\", \"%s\": %s}}",
             (unsigned long long)next_request++, n.id, n.kind == K_ACT ? "activity" : "indicator_value",
             content);
    Huizong__Response *r = call_json(comm[n.unit], json);
    if (r->status == HUIZONG__STATUS__OK) {
        step_ok[ST_AMEND]++;
        n.version = (int)r->record_amend->version;
        recs[k] = n;
    } else {
        step_refused[ST_AMEND]++;
        if (r->status == HUIZONG__STATUS__FAILED_PRECONDITION)
            file_correction(k, &n, 0);
    }
    harness_response_free(r);
}

static void step_retract(rng *g)
{
    char json[JSON_MAX];
    int k = pick_live(g, -1, -1);
    if (k < 0)
        return;
    snprintf(json, sizeof json,
             "{\"request_id\": %llu, \"record_retract\": {\"record_id\": \"%s\", \"reason\": \"重复报送\"}}",
             (unsigned long long)next_request++, recs[k].id);
    Huizong__Response *r = call_json(comm[recs[k].unit], json);
    if (r->status == HUIZONG__STATUS__OK) {
        step_ok[ST_RETRACT]++;
        recs[k].retracted = 1;
    } else {
        step_refused[ST_RETRACT]++;
        if (r->status == HUIZONG__STATUS__FAILED_PRECONDITION)
            file_correction(k, &recs[k], 1);
    }
    harness_response_free(r);
}

static void step_nil(rng *g)
{
    char json[JSON_MAX], m[PERIOD_LEN];
    int unit = rng_below(g, N_COMM);
    month_of(random_month(g), m);
    if (rng_chance(g, 50))
        snprintf(json, sizeof json, "{\"request_id\": %llu, \"nil_report\": {\"period\": \"%s\"}}",
                 (unsigned long long)next_request++, m);
    else
        snprintf(json, sizeof json,
                 "{\"request_id\": %llu, \"nil_report\": {\"period\": \"%s\", \"indicators\": [\"%s\"]}}",
                 (unsigned long long)next_request++, m, INDS[rng_below(g, 3)]);
    Huizong__Response *r = call_json(comm[unit], json);
    if (r->status == HUIZONG__STATUS__OK)
        step_ok[ST_NIL]++;
    else
        step_refused[ST_NIL]++;
    harness_response_free(r);
}

static void step_lock(rng *g)
{
    char json[JSON_MAX], m[PERIOD_LEN], period[PERIOD_LEN];
    const char *unit;
    int pick = rng_below(g, 10);
    unit = pick < 4 ? COMM[rng_below(g, N_COMM)] : pick < 9 ? (pick & 1 ? "s1" : "s2") : "d1";
    month_of(random_month(g), m);
    if (rng_chance(g, 15))
        quarter_of(m, period);
    else
        snprintf(period, sizeof period, "%s", m);
    snprintf(json, sizeof json, "{\"request_id\": %llu, \"period_lock\": {\"unit_code\": \"%s\", \"period\": \"%s\"}}",
             (unsigned long long)next_request++, unit, period);
    Huizong__Response *r = call_json(admin, json);
    if (r->status == HUIZONG__STATUS__OK) {
        step_ok[ST_LOCK]++;
        if (r->period_lock->changed && n_locks < MAX_LOCKS) {
            snprintf(locks[n_locks].unit, sizeof locks[n_locks].unit, "%s", unit);
            snprintf(locks[n_locks].period, sizeof locks[n_locks].period, "%s", period);
            n_locks++;
        }
    } else {
        step_refused[ST_LOCK]++;
    }
    harness_response_free(r);
}

static void step_unlock(rng *g)
{
    char json[JSON_MAX];
    if (n_locks == 0)
        return;
    int i = rng_below(g, n_locks);
    snprintf(json, sizeof json,
             "{\"request_id\": %llu, \"period_unlock\": {\"unit_code\": \"%s\", \"period\": \"%s\"}}",
             (unsigned long long)next_request++, locks[i].unit, locks[i].period);
    Huizong__Response *r = call_json(admin, json);
    if (r->status == HUIZONG__STATUS__OK) {
        step_ok[ST_UNLOCK]++;
        locks[i] = locks[--n_locks];
    } else {
        step_refused[ST_UNLOCK]++;
    }
    harness_response_free(r);
}

static void step_decide(rng *g)
{
    char json[JSON_MAX];
    if (n_pending == 0)
        return;
    int i = rng_below(g, n_pending), approve = rng_chance(g, 70);
    pending_t p = pending[i];
    pending[i] = pending[--n_pending];
    if (approve)
        snprintf(json, sizeof json, "{\"request_id\": %llu, \"correction_approve\": {\"correction_id\": %llu}}",
                 (unsigned long long)next_request++, p.id);
    else
        snprintf(json, sizeof json,
                 "{\"request_id\": %llu, \"correction_reject\": {\"correction_id\": %llu, \"reason\": \"依据不足\"}}",
                 (unsigned long long)next_request++, p.id);
    Huizong__Response *r = call_json(dist, json);
    if (r->status == HUIZONG__STATUS__OK) {
        step_ok[ST_DECIDE]++;
        if (approve) {
            corrections_approved++;
            if (p.retract) {
                recs[p.rec].retracted = 1;
            } else {
                recs[p.rec] = p.content;
                recs[p.rec].version = (int)r->correction_approve->version;
            }
        } else {
            corrections_rejected++;
        }
    } else {
        step_refused[ST_DECIDE]++;
    }
    harness_response_free(r);
}

static int env_int(const char *name, int dflt)
{
    const char *v = getenv(name);
    return v && *v ? atoi(v) : dflt;
}

static void test_random_sequence(void **state)
{
    (void)state;
    uint64_t seed = (uint64_t)env_int("HZ_ROLLUP_SEED", 13);
    int steps = env_int("HZ_ROLLUP_STEPS", 300);
    rng g = {seed};
    /* Weights of the kinds of step, out of 100. */
    static const int weight[ST_N] = {34, 28, 8, 4, 8, 7, 11};
    char what[96];

    connect_all();
    fprintf(stderr, "rollup: seed %llu, %d steps (HZ_ROLLUP_SEED, HZ_ROLLUP_STEPS)\n",
            (unsigned long long)seed, steps);
    rollup_verify_step(dist, "the start");
    for (int s = 0; s < steps; s++) {
        int roll = rng_below(&g, 100), kind = 0;
        while (roll >= weight[kind]) {
            roll -= weight[kind];
            kind++;
        }
        switch (kind) {
        case ST_SUBMIT: step_submit(&g); break;
        case ST_AMEND: step_amend(&g); break;
        case ST_RETRACT: step_retract(&g); break;
        case ST_NIL: step_nil(&g); break;
        case ST_LOCK: step_lock(&g); break;
        case ST_UNLOCK: step_unlock(&g); break;
        default: step_decide(&g); break;
        }
        snprintf(what, sizeof what, "step %d (%s, seed %llu)", s, STEP_NAME[kind], (unsigned long long)seed);
        rollup_verify_step(dist, what);
    }
    for (int k = 0; k < ST_N; k++)
        fprintf(stderr, "rollup: %-20s %4d OK, %4d refused\n", STEP_NAME[k], step_ok[k], step_refused[k]);
    fprintf(stderr, "rollup: %d records; %d duplicates, %d superseded; corrections %d filed, %d approved, "
            "%d rejected\n", n_recs, duplicates_seen, superseded_seen, corrections_filed,
            corrections_approved, corrections_rejected);
    /* The sequence did reach every writer. */
    if (steps >= 300) {
        assert_true(step_ok[ST_SUBMIT] >= 50 && step_ok[ST_AMEND] >= 30 && step_ok[ST_RETRACT] >= 5);
        assert_true(duplicates_seen > 0 && superseded_seen > 0);
        assert_true(corrections_approved > 0 && corrections_rejected > 0);
        assert_true(step_ok[ST_LOCK] > 0 && step_ok[ST_UNLOCK] > 0 && step_ok[ST_NIL] > 0);
    }
}

static void test_concurrent(void **state)
{
    (void)state;
    connect_all();
    rollup_concurrent_phase(&H, comm, admin, dist, (uint64_t)env_int("HZ_ROLLUP_SEED", 13));
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_sequence),
        cmocka_unit_test(test_concurrent),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
