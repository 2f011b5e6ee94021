/* integration.rollup's model: the sequence's randomness, the records the
 * test believes the server holds, and random records to send. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rollup_model.h"

/* c1, c2, c5 under s1; c3, c4 under s2. */
const char *const COMM[N_COMM] = {"c1", "c2", "c5", "c3", "c4"};
const char *const STREET[N_COMM] = {"s1", "s1", "s1", "s2", "s2"};
const char *const CATS[N_CATS] = {"culture", "volunteer", "visit", "fire", "legal", "theory", "party"};
/* Month-typed indicators of both aggregations and one by quarter. */
const char *const INDS[N_INDS] = {"briefs", "volunteers", "opinion_reports", "research_reports"};

/* --- the sequence's randomness ------------------------------------------- */

uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int rng_below(rng *r, int n)
{
    return (int)(rng_next(r) % (uint64_t)n);
}

int rng_chance(rng *r, int percent)
{
    return rng_below(r, 100) < percent;
}

/* A version-4 UUID from the sequence, so one seed replays the same ids. */
void rng_uuid(rng *r, char out[REC_UUID_LEN])
{
    uint64_t a = rng_next(r), b = rng_next(r);
    snprintf(out, REC_UUID_LEN, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
             (unsigned)(0x8000 | ((b >> 48) & 0x3fff)), (unsigned long long)(b & 0xffffffffffffULL));
}

/* --- the model: what the test believes each record holds ------------------ */

rec_t recs[MAX_RECS];
int n_recs;
pending_t pending[MAX_PENDING];
int n_pending;
lock_t locks[MAX_LOCKS];
int n_locks;
uint64_t next_request = 1000;

/* Months 2020-11 .. 2022-02, mostly 2021: the year summaries leave some out. */
void month_of(int i, char out[PERIOD_LEN])
{
    int y = 2020 + (i + 10) / 12, m = (i + 10) % 12 + 1;
    snprintf(out, PERIOD_LEN, "%04d-%02d", y, m);
}

int random_month(rng *r)
{
    return rng_chance(r, 85) ? 2 + rng_below(r, 12) : rng_below(r, 16);
}

void quarter_of(const char *month, char out[PERIOD_LEN])
{
    snprintf(out, PERIOD_LEN, "%.4s-Q%d", month, (atoi(month + 5) - 1) / 3 + 1);
}

/* Whether the model holds a lock on the unit, its street or the district
 * for a period containing `period` (YYYY-MM, or YYYY-Qn for a quarter). */
int locked(int unit, const char *period)
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

int slot_taken(int unit, int ind, const char *period)
{
    for (int i = 0; i < n_recs; i++) {
        const rec_t *r = &recs[i];
        if (r->kind == K_IND && !r->retracted && r->unit == unit && r->ind == ind &&
            !strcmp(r->period, period))
            return 1;
    }
    return 0;
}

void random_period(rng *g, int ind, char out[PERIOD_LEN])
{
    char m[PERIOD_LEN];
    month_of(random_month(g), m);
    if (ind == IND_QUARTER)
        quarter_of(m, out);
    else
        snprintf(out, PERIOD_LEN, "%s", m);
}

/* The record as the wire's JSON (proto field names). */
void content_json(const rec_t *r, char *out, size_t n)
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

void random_activity(rng *g, rec_t *r, int unit, int avoid_locks)
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
int random_indicator(rng *g, rec_t *r, int unit, int conflict)
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

int add_rec(const rec_t *r)
{
    assert_true(n_recs < MAX_RECS);
    recs[n_recs] = *r;
    return n_recs++;
}

/* A random live record of the model (of `kind`, -1: any); -1 when none. */
int pick_live(rng *g, int kind, int unit)
{
    for (int tries = 0; tries < 64 && n_recs > 0; tries++) {
        int i = rng_below(g, n_recs);
        if (!recs[i].retracted && (kind < 0 || recs[i].kind == kind) && (unit < 0 || recs[i].unit == unit))
            return i;
    }
    return -1;
}
