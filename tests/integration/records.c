/* Builders of heap-allocated Requests for integration tests. */
#include "records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

static void *rec_alloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fprintf(stderr, "records: out of memory\n");
        abort();
    }
    return p;
}

static char *rec_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = rec_alloc(n);
    memcpy(p, s, n);
    return p;
}

void rec_uuid(char out[REC_UUID_LEN])
{
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1)
        abort();
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, REC_UUID_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

Huizong__Request *rec_request(uint64_t request_id)
{
    Huizong__Request *r = rec_alloc(sizeof *r);
    huizong__request__init(r);
    r->request_id = request_id;
    return r;
}

void rec_free(Huizong__Request *r)
{
    if (r)
        huizong__request__free_unpacked(r, NULL);
}

void rec_set(char **field, const char *value)
{
    /* The initial value is protobuf-c's shared empty string, never freed. */
    if (*field && *field != protobuf_c_empty_string)
        free(*field);
    *field = rec_strdup(value);
}

void rec_push(char ***items, size_t *n, const char *value)
{
    char **grown = realloc(*items, (*n + 1) * sizeof **items);
    if (!grown)
        abort();
    grown[*n] = rec_strdup(value);
    *items = grown;
    (*n)++;
}

/* Appends a fresh message pointer to a repeated message field. */
static void *rec_append(void ***items, size_t *n, size_t size)
{
    void **grown = realloc(*items, (*n + 1) * sizeof **items);
    if (!grown)
        abort();
    *items = grown;
    grown[*n] = rec_alloc(size);
    return grown[(*n)++];
}

Huizong__SubmitBatch *rec_submit(Huizong__Request *r)
{
    Huizong__SubmitBatch *b = rec_alloc(sizeof *b);
    huizong__submit_batch__init(b);
    r->body_case = HUIZONG__REQUEST__BODY_SUBMIT;
    r->submit = b;
    return b;
}

Huizong__Activity *rec_activity(Huizong__SubmitBatch *b, const char *unit, const char *date,
                                const char *category, int64_t participants, const char *title)
{
    Huizong__Activity *a = rec_append((void ***)&b->activities, &b->n_activities, sizeof *a);
    huizong__activity__init(a);
    char id[REC_UUID_LEN];
    rec_uuid(id);
    rec_set(&a->record_id, id);
    rec_set(&a->unit_code, unit);
    rec_set(&a->date, date);
    rec_set(&a->category, category);
    rec_set(&a->title, title);
    a->participants = participants;
    return a;
}

Huizong__IndicatorValue *rec_indicator(Huizong__SubmitBatch *b, const char *unit,
                                       const char *indicator, const char *period, double value)
{
    Huizong__IndicatorValue *v =
        rec_append((void ***)&b->indicator_values, &b->n_indicator_values, sizeof *v);
    huizong__indicator_value__init(v);
    char id[REC_UUID_LEN];
    rec_uuid(id);
    rec_set(&v->record_id, id);
    rec_set(&v->unit_code, unit);
    rec_set(&v->indicator, indicator);
    rec_set(&v->period, period);
    v->value = value;
    return v;
}

Huizong__Honor *rec_honor(Huizong__SubmitBatch *b, const char *unit, const char *date,
                          const char *title, const char *level)
{
    Huizong__Honor *o = rec_append((void ***)&b->honors, &b->n_honors, sizeof *o);
    huizong__honor__init(o);
    char id[REC_UUID_LEN];
    rec_uuid(id);
    rec_set(&o->record_id, id);
    rec_set(&o->unit_code, unit);
    rec_set(&o->date, date);
    rec_set(&o->title, title);
    rec_set(&o->level, level);
    return o;
}

Huizong__SummaryRequest *rec_summary(Huizong__Request *r, int32_t year, const char *unit)
{
    Huizong__SummaryRequest *s = rec_alloc(sizeof *s);
    huizong__summary_request__init(s);
    s->year = year;
    rec_set(&s->unit_code, unit);
    r->body_case = HUIZONG__REQUEST__BODY_SUMMARY;
    r->summary = s;
    return s;
}

void rec_group_by(Huizong__SummaryRequest *s, Huizong__GroupBy g)
{
    Huizong__GroupBy *grown = realloc(s->group_by, (s->n_group_by + 1) * sizeof *grown);
    if (!grown)
        abort();
    grown[s->n_group_by++] = g;
    s->group_by = grown;
}
