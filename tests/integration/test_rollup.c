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
#include <pthread.h>

#include "harness.h"
#include "harness_assert.h"
#include "harness_period.h"
#include "records.h"

#define N_COMM 5
#define MAX_RECS 8192
#define MAX_PENDING 256
#define MAX_LOCKS 64
#define JSON_MAX 1024
#define TEXT_MAX 65536
#define PERIOD_LEN 24

static harness H;
static SSL *comm[N_COMM], *admin, *dist;
static char *check_sql, *summary_sql;

/* c1, c2, c5 under s1; c3, c4 under s2. */
static const char *const COMM[N_COMM] = {"c1", "c2", "c5", "c3", "c4"};
static const char *const STREET[N_COMM] = {"s1", "s1", "s1", "s2", "s2"};
static const char *const CATS[] = {"culture", "volunteer", "visit", "fire", "legal", "theory", "party"};
#define N_CATS (sizeof CATS / sizeof CATS[0])
/* Month-typed indicators of both aggregations and one by quarter. */
static const char *const INDS[] = {"briefs", "volunteers", "opinion_reports", "research_reports"};
#define N_INDS (sizeof INDS / sizeof INDS[0])
#define IND_QUARTER 3

/* --- the sequence's randomness ------------------------------------------- */

typedef struct {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int rng_below(rng *r, int n)
{
    return (int)(rng_next(r) % (uint64_t)n);
}

static int rng_chance(rng *r, int percent)
{
    return rng_below(r, 100) < percent;
}

/* A version-4 UUID from the sequence, so one seed replays the same ids. */
static void rng_uuid(rng *r, char out[REC_UUID_LEN])
{
    uint64_t a = rng_next(r), b = rng_next(r);
    snprintf(out, REC_UUID_LEN, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
             (unsigned)(0x8000 | ((b >> 48) & 0x3fff)), (unsigned long long)(b & 0xffffffffffffULL));
}

/* --- the model: what the test believes each record holds ------------------ */

enum { K_ACT, K_IND };

typedef struct {
    char id[REC_UUID_LEN];
    int unit, kind, version, retracted;
    char date[PERIOD_LEN + 16]; /* activity */
    int cat;
    long part;
    int at_least, unknown;
    int ind;                /* indicator value */
    char period[PERIOD_LEN];
    double value;
    char first[JSON_MAX];   /* the content of version 1, for superseded re-sends */
} rec_t;

typedef struct {
    int rec;                /* index into recs */
    rec_t content;          /* the new content, when not a retraction */
    int retract;
    unsigned long long id;
} pending_t;

typedef struct {
    char unit[8];
    char period[PERIOD_LEN];
} lock_t;

static rec_t recs[MAX_RECS];
static int n_recs;
static pending_t pending[MAX_PENDING];
static int n_pending;
static lock_t locks[MAX_LOCKS];
static int n_locks;
static uint64_t next_request = 1000;

/* Months 2020-11 .. 2022-02, mostly 2021: the year summaries leave some out. */
static void month_of(int i, char out[PERIOD_LEN])
{
    int y = 2020 + (i + 10) / 12, m = (i + 10) % 12 + 1;
    snprintf(out, PERIOD_LEN, "%04d-%02d", y, m);
}

static int random_month(rng *r)
{
    return rng_chance(r, 85) ? 2 + rng_below(r, 12) : rng_below(r, 16);
}

static void quarter_of(const char *month, char out[PERIOD_LEN])
{
    snprintf(out, PERIOD_LEN, "%.4s-Q%d", month, (atoi(month + 5) - 1) / 3 + 1);
}

/* Whether the model holds a lock on the unit, its street or the district
 * for a period containing `period` (YYYY-MM, or YYYY-Qn for a quarter). */
static int locked(int unit, const char *period)
{
    char q[PERIOD_LEN], y[PERIOD_LEN];
    if (period[5] == 'Q')
        snprintf(q, sizeof q, "%s", period);
    else
        quarter_of(period, q);
    snprintf(y, sizeof y, "%.4s", period);
    for (int i = 0; i < n_locks; i++) {
        const lock_t *l = &locks[i];
        if (strcmp(l->unit, COMM[unit]) && strcmp(l->unit, STREET[unit]) && strcmp(l->unit, "d1"))
            continue;
        if (!strcmp(l->period, period) || !strcmp(l->period, q) || !strcmp(l->period, y))
            return 1;
    }
    return 0;
}

static int slot_taken(int unit, int ind, const char *period)
{
    for (int i = 0; i < n_recs; i++) {
        const rec_t *r = &recs[i];
        if (r->kind == K_IND && !r->retracted && r->unit == unit && r->ind == ind &&
            !strcmp(r->period, period))
            return 1;
    }
    return 0;
}

static void random_period(rng *g, int ind, char out[PERIOD_LEN])
{
    char m[PERIOD_LEN];
    month_of(random_month(g), m);
    if (ind == IND_QUARTER)
        quarter_of(m, out);
    else
        snprintf(out, PERIOD_LEN, "%s", m);
}

/* The record as the wire's JSON (proto field names). */
static void content_json(const rec_t *r, char *out, size_t n)
{
    if (r->kind == K_ACT)
        snprintf(out, n,
                 "{\"record_id\": \"%s\", \"unit_code\": \"%s\", \"date\": \"%s\", \"category\": \"%s\","
                 " \"title\": \"汇总核对活动%.8s\", \"participants\": %ld, \"participants_at_least\": %s,"
                 " \"participants_unknown\": %s}",
                 r->id, COMM[r->unit], r->date, CATS[r->cat], r->id, r->unknown ? 0 : r->part,
                 r->at_least ? "true" : "false", r->unknown ? "true" : "false");
    else
        snprintf(out, n,
                 "{\"record_id\": \"%s\", \"unit_code\": \"%s\", \"indicator\": \"%s\", \"period\": \"%s\","
                 " \"value\": %.1f}",
                 r->id, COMM[r->unit], INDS[r->ind], r->period, r->value);
}

static void random_activity(rng *g, rec_t *r, int unit, int avoid_locks)
{
    char m[PERIOD_LEN];
    memset(r, 0, sizeof *r);
    rng_uuid(g, r->id);
    r->unit = unit;
    r->kind = K_ACT;
    r->version = 1;
    for (int tries = 0; tries < 8; tries++) {
        month_of(random_month(g), m);
        if (!avoid_locks || !locked(unit, m))
            break;
    }
    snprintf(r->date, sizeof r->date, "%s-%02d", m, 1 + rng_below(g, 28));
    r->cat = rng_below(g, N_CATS);
    r->part = rng_below(g, 120);
    r->unknown = rng_chance(g, 25);
    r->at_least = !r->unknown && rng_chance(g, 15);
    content_json(r, r->first, sizeof r->first);
}

/* A new indicator value in a free slot (a taken one when `conflict`);
 * 0 when none was found. */
static int random_indicator(rng *g, rec_t *r, int unit, int conflict)
{
    memset(r, 0, sizeof *r);
    rng_uuid(g, r->id);
    r->unit = unit;
    r->kind = K_IND;
    r->version = 1;
    for (int tries = 0; tries < 16; tries++) {
        r->ind = rng_below(g, N_INDS);
        random_period(g, r->ind, r->period);
        if (slot_taken(unit, r->ind, r->period) == conflict && !locked(unit, r->period))
            break;
        if (tries == 15)
            return 0;
    }
    r->value = rng_below(g, 40) + (rng_chance(g, 30) ? 0.5 : 0.0);
    content_json(r, r->first, sizeof r->first);
    return 1;
}

static int add_rec(const rec_t *r)
{
    assert_true(n_recs < MAX_RECS);
    recs[n_recs] = *r;
    return n_recs++;
}

/* A random live record of the model (of `kind`, -1: any); -1 when none. */
static int pick_live(rng *g, int kind, int unit)
{
    for (int tries = 0; tries < 64 && n_recs > 0; tries++) {
        int i = rng_below(g, n_recs);
        if (!recs[i].retracted && (kind < 0 || recs[i].kind == kind) && (unit < 0 || recs[i].unit == unit))
            return i;
    }
    return -1;
}

/* --- the checks ------------------------------------------------------------ */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = calloc(1, TEXT_MAX);
    size_t n = buf ? fread(buf, 1, TEXT_MAX - 1, f) : 0;
    fclose(f);
    if (buf && n == 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static void check_rollups(const char *step)
{
    PGresult *res = PQexec(harness_pg(&H), check_sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(stderr, "rollup check: %s", PQerrorMessage(harness_pg(&H)));
        fail();
    }
    int n = PQntuples(res);
    for (int i = 0; i < n && i < 20; i++)
        fprintf(stderr, "rollup: after %s: %s\n", step, PQgetvalue(res, i, 0));
    PQclear(res);
    if (n)
        fail_msg("rollup: after %s: %d rollup rows differ from the raw rows", step, n);
}

typedef struct {
    const char *name;
    const char *dims;       /* for rollup_summary.sql */
    Huizong__GroupBy by[3];
    size_t n_by;
    const char *from, *to;  /* NULL: the year 2021 */
    const char *d0, *d1;
} form_t;

static const form_t FORMS[] = {
    {"no grouping", "{}", {0}, 0, NULL, NULL, "2021-01-01", "2022-01-01"},
    {"community", "{community}", {HUIZONG__GROUP_BY__GROUP_BY_COMMUNITY}, 1, NULL, NULL,
     "2021-01-01", "2022-01-01"},
    {"category", "{category}", {HUIZONG__GROUP_BY__GROUP_BY_CATEGORY}, 1, NULL, NULL,
     "2021-01-01", "2022-01-01"},
    {"month", "{month}", {HUIZONG__GROUP_BY__GROUP_BY_MONTH}, 1, NULL, NULL, "2021-01-01", "2022-01-01"},
    {"quarter", "{quarter}", {HUIZONG__GROUP_BY__GROUP_BY_QUARTER}, 1, NULL, NULL,
     "2021-01-01", "2022-01-01"},
    {"street", "{street}", {HUIZONG__GROUP_BY__GROUP_BY_STREET}, 1, NULL, NULL, "2021-01-01", "2022-01-01"},
    {"community,category,month", "{community,category,month}",
     {HUIZONG__GROUP_BY__GROUP_BY_COMMUNITY, HUIZONG__GROUP_BY__GROUP_BY_CATEGORY,
      HUIZONG__GROUP_BY__GROUP_BY_MONTH}, 3, NULL, NULL, "2021-01-01", "2022-01-01"},
    {"2020-12..2021-05 by street,category", "{street,category}",
     {HUIZONG__GROUP_BY__GROUP_BY_STREET, HUIZONG__GROUP_BY__GROUP_BY_CATEGORY}, 2, "2020-12", "2021-05",
     "2020-12-01", "2021-06-01"},
};
#define N_FORMS (sizeof FORMS / sizeof FORMS[0])

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted lines, joined by newlines, into out; frees the lines. */
static void join_sorted(char **lines, size_t n, char *out, size_t cap)
{
    size_t len = 0;
    qsort(lines, n, sizeof *lines, cmp_line);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s", i ? "\n" : "", lines[i]);
        free(lines[i]);
    }
    assert_true(len < cap);
}

static char *line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *line(const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        abort();
    va_end(ap);
    return s;
}

/* The server's answer in the lines of rollup_summary.sql. */
static void summary_lines(const Huizong__SummaryResult *s, char *act, char *ind, char *tot)
{
    char **l = calloc(s->n_activity_groups + s->n_indicator_totals + 1, sizeof *l);
    assert_non_null(l);
    for (size_t i = 0; i < s->n_activity_groups; i++) {
        const Huizong__ActivityGroup *g = s->activity_groups[i];
        l[i] = line("%s|%s|%s|%s|%s|%llu|%llu|%llu|%s", g->street, g->community, g->category, g->month,
                    g->quarter, (unsigned long long)g->activities, (unsigned long long)g->participants,
                    (unsigned long long)g->participants_unknown, g->participants_at_least ? "t" : "f");
    }
    join_sorted(l, s->n_activity_groups, act, TEXT_MAX);
    for (size_t i = 0; i < s->n_indicator_totals; i++) {
        const Huizong__IndicatorTotal *t = s->indicator_totals[i];
        l[i] = line("%s|%s|%s|%s|%s|%s|%.4f", t->street, t->community, t->indicator, t->month, t->quarter,
                    t->aggregation, t->value);
    }
    join_sorted(l, s->n_indicator_totals, ind, TEXT_MAX);
    snprintf(tot, TEXT_MAX, "%llu|%llu|%llu|%s", (unsigned long long)s->total_activities,
             (unsigned long long)s->total_participants, (unsigned long long)s->total_participants_unknown,
             s->total_participants_at_least ? "t" : "f");
    free(l);
}

static void same_text(const char *step, const char *form, const char *part, const char *got,
                      const char *want)
{
    if (strcmp(got, want) == 0)
        return;
    fprintf(stderr, "rollup: after %s, summary %s, %s:\n--- hz_summary\n%s\n--- raw rows\n%s\n", step, form,
            part, got, want);
    fail_msg("rollup: after %s: summary %s: %s differ from the raw rows", step, form, part);
}

static Huizong__Request *form_request(const form_t *f)
{
    Huizong__Request *req = rec_request(next_request++);
    Huizong__SummaryRequest *s = rec_summary(req, f->from ? 0 : 2021, "d1");
    for (size_t i = 0; i < f->n_by; i++)
        rec_group_by(s, f->by[i]);
    if (f->from) {
        rec_set(&s->from, f->from);
        rec_set(&s->to, f->to);
    }
    return req;
}

static void check_form(const form_t *f, const Huizong__Response *r, PGresult *res, const char *step)
{
    static char act[TEXT_MAX], ind[TEXT_MAX], tot[TEXT_MAX];
    harness_assert_status(r, HUIZONG__STATUS__OK);
    summary_lines(r->summary, act, ind, tot);
    same_text(step, f->name, "activity groups", act, PQgetvalue(res, 0, 0));
    same_text(step, f->name, "indicator totals", ind, PQgetvalue(res, 0, 1));
    same_text(step, f->name, "totals", tot, PQgetvalue(res, 0, 2));
}

/* Every summary form is asked of the server at once; the raw-row answers
 * are computed while it works. */
static void check_all(const char *step)
{
    Huizong__Request *req[N_FORMS];
    Huizong__Response *resp[N_FORMS] = {0};
    PGresult *res[N_FORMS];
    uint64_t base = next_request;

    check_rollups(step);
    for (size_t i = 0; i < N_FORMS; i++) {
        req[i] = form_request(&FORMS[i]);
        assert_int_equal(harness_send_request(dist, req[i]), 0);
    }
    for (size_t i = 0; i < N_FORMS; i++) {
        const char *params[3] = {FORMS[i].dims, FORMS[i].d0, FORMS[i].d1};
        res[i] = PQexecPrepared(harness_pg(&H), "rollup_summary", 3, params, NULL, NULL, 0);
        if (PQresultStatus(res[i]) != PGRES_TUPLES_OK) {
            fprintf(stderr, "rollup summary: %s", PQerrorMessage(harness_pg(&H)));
            fail();
        }
    }
    /* Matched by request id: the answers may come in any order. */
    for (size_t i = 0; i < N_FORMS; i++) {
        Huizong__Response *r = harness_recv_response(dist);
        assert_non_null(r);
        assert_true(r->request_id >= base && r->request_id < base + N_FORMS && !resp[r->request_id - base]);
        resp[r->request_id - base] = r;
    }
    for (size_t i = 0; i < N_FORMS; i++) {
        check_form(&FORMS[i], resp[i], res[i], step);
        harness_response_free(resp[i]);
        PQclear(res[i]);
        rec_free(req[i]);
    }
}

/* --- the server ------------------------------------------------------------ */

/* rollup_summary.sql planned once: it runs eight times a step. */
static int prepare_summary(void)
{
    PGconn *pg = harness_pg(&H);
    PGresult *res = pg ? PQexec(pg, "SET plan_cache_mode = force_generic_plan") : NULL;
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    res = ok ? PQprepare(pg, "rollup_summary", summary_sql, 3, NULL) : NULL;
    ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(stderr, "rollup: cannot prepare rollup_summary.sql: %s", pg ? PQerrorMessage(pg) : "no connection\n");
    PQclear(res);
    return ok;
}

static int group_setup(void **state)
{
    /* A window long enough that batches sent at once share a transaction. */
    harness_opts o = {.args = {"--group_commit_window=10ms", NULL}};
    (void)state;
    check_sql = read_text(HZ_IT_SRC_DIR "/rollup_check.sql");
    summary_sql = read_text(HZ_IT_SRC_DIR "/rollup_summary.sql");
    if (!check_sql || !summary_sql) {
        fprintf(stderr, "rollup: cannot read the queries in %s\n", HZ_IT_SRC_DIR);
        return -1;
    }
    if (harness_start(&H, &o) != 0 || harness_setup_tree(&H) != 0 || !prepare_summary())
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
    free(check_sql);
    free(summary_sql);
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
    check_all("the start");
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
        check_all(what);
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

/* --- the concurrent phase -------------------------------------------------- */

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
static uint64_t group_max(void)
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
static int seed_movers(rng *g, int unit)
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
    Huizong__Response *r = call_json(comm[unit], json);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->submit->accepted, 2 * CC_MOVED);
    harness_response_free(r);
    return first;
}

static void test_concurrent(void **state)
{
    (void)state;
    uint64_t seed = (uint64_t)env_int("HZ_ROLLUP_SEED", 13);
    rng g = {seed ^ 0x5eed};
    worker_t w[3 * N_COMM];
    pthread_t t[3 * N_COMM];

    connect_all();
    for (int u = 0; u < N_COMM; u++) {
        int first = seed_movers(&g, u);
        for (int k = 0; k < 3; k++) {
            worker_t *x = &w[3 * u + k];
            memset(x, 0, sizeof *x);
            x->unit = u;
            x->role = k;
            x->g.s = seed * 31 + (uint64_t)(3 * u + k);
            x->ssl = k == W_SUBMIT ? comm[u] : harness_connect_as(&H, COMM[u], "community");
            x->first = first + (k == W_DOWN ? CC_MOVED : 0);
        }
    }
    check_all("the movers' records");
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
    check_all("the concurrent phase");
    assert_int_equal(failures, 0);
    assert_true(group_max() >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_sequence),
        cmocka_unit_test(test_concurrent),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
