/* integration.rollup's checks against the raw rows: every rollup row
 * equals its recomputation (rollup_check.sql, both directions), and every
 * form of hz_summary equals the same computed from raw rows by the test's
 * own SQL (rollup_summary.sql). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness_assert.h"
#include "rollup_model.h"
#include "rollup_verify.h"

static harness *vh;
static char *check_sql, *summary_sql;

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
    PGresult *res = PQexec(harness_pg(vh), check_sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(stderr, "rollup check: %s", PQerrorMessage(harness_pg(vh)));
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

void rollup_verify_step(SSL *dist, const char *step)
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
        res[i] = PQexecPrepared(harness_pg(vh), "rollup_summary", 3, params, NULL, NULL, 0);
        if (PQresultStatus(res[i]) != PGRES_TUPLES_OK) {
            fprintf(stderr, "rollup summary: %s", PQerrorMessage(harness_pg(vh)));
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

/* rollup_summary.sql planned once: it runs eight times a step. */
static int prepare_summary(void)
{
    PGconn *pg = harness_pg(vh);
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

int rollup_verify_open(harness *h, const char *src_dir)
{
    char path[4096];
    vh = h;
    snprintf(path, sizeof path, "%s/rollup_check.sql", src_dir);
    check_sql = read_text(path);
    snprintf(path, sizeof path, "%s/rollup_summary.sql", src_dir);
    summary_sql = read_text(path);
    if (!check_sql || !summary_sql) {
        fprintf(stderr, "rollup: cannot read the queries in %s\n", src_dir);
        return -1;
    }
    return prepare_summary() ? 0 : -1;
}

void rollup_verify_close(void)
{
    free(check_sql);
    free(summary_sql);
    check_sql = summary_sql = NULL;
}
