/* integration.rollup's model (rollup_model.c): the sequence's randomness,
 * the records the test believes the server holds, random records to send. */
#ifndef HZ_IT_ROLLUP_MODEL_H
#define HZ_IT_ROLLUP_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "records.h"

#define N_COMM 5
#define MAX_RECS 8192
#define MAX_PENDING 256
#define MAX_LOCKS 64
#define JSON_MAX 1024
#define TEXT_MAX 65536
#define PERIOD_LEN 24
#define N_CATS 7
#define N_INDS 4
#define IND_QUARTER 3 /* INDS[3] is by quarter */

extern const char *const COMM[N_COMM], *const STREET[N_COMM];
extern const char *const CATS[N_CATS], *const INDS[N_INDS];

typedef struct {
    uint64_t s;
} rng;

uint64_t rng_next(rng *r);
int rng_below(rng *r, int n);
int rng_chance(rng *r, int percent);
/* A version-4 UUID from the sequence, so one seed replays the same ids. */
void rng_uuid(rng *r, char out[REC_UUID_LEN]);

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

extern rec_t recs[MAX_RECS];
extern int n_recs;
extern pending_t pending[MAX_PENDING];
extern int n_pending;
extern lock_t locks[MAX_LOCKS];
extern int n_locks;
/* Request ids of every connection the test makes. */
extern uint64_t next_request;

/* Months 2020-11 .. 2022-02 by index, mostly 2021: the year summaries leave some out. */
void month_of(int i, char out[PERIOD_LEN]);
int random_month(rng *r);
void quarter_of(const char *month, char out[PERIOD_LEN]);
/* Whether the model holds a lock on the unit, its street or the district
 * for a period containing `period` (YYYY-MM, or YYYY-Qn for a quarter). */
int locked(int unit, const char *period);
int slot_taken(int unit, int ind, const char *period);
void random_period(rng *g, int ind, char out[PERIOD_LEN]);
/* The record as the wire's JSON (proto field names). */
void content_json(const rec_t *r, char *out, size_t n);
void random_activity(rng *g, rec_t *r, int unit, int avoid_locks);
/* A new indicator value in a free slot (a taken one when `conflict`);
 * 0 when none was found. */
int random_indicator(rng *g, rec_t *r, int unit, int conflict);
int add_rec(const rec_t *r);
/* A random live record of the model (of `kind`, -1: any); -1 when none. */
int pick_live(rng *g, int kind, int unit);

#endif
