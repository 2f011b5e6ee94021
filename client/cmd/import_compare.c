/* A sheet's rows against the server's current records, and the amends. */
#include "cmd/import_compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/diag.h"
#include "i18n.h"
#include "import/import_held.h"
#include "net/net.h"
#include "net/session.h"
#include "pbjson.h"
#include "render/record_diff.h"
#include "spool/spool_report.h"

#define COMPARE_MAX_YEARS 16

/* The message of record i of the sheet's kind. */
static ProtobufCMessage *compare_msg(const import_sheet *s, const Huizong__SubmitBatch *b, size_t i)
{
    switch (s->kind) {
    case IMPORT_ACTIVITY:
        return i < b->n_activities ? &b->activities[i]->base : NULL;
    case IMPORT_INDICATOR:
        return i < b->n_indicator_values ? &b->indicator_values[i]->base : NULL;
    case IMPORT_HONOR:
        return i < b->n_honors ? &b->honors[i]->base : NULL;
    }
    return NULL;
}

/* The year a record counts in: its date's or its period's. */
static int compare_year(const json_t *rec)
{
    const char *d = json_string_value(json_object_get(rec, "date"));

    if (d == NULL || *d == '\0')
        d = json_string_value(json_object_get(rec, "period"));
    return d ? atoi(d) : 0;
}

/* The strings of key in recs (NULL entries where absent), for a request. */
static char **compare_strings(json_t *const *recs, size_t n, const char *key, size_t *out)
{
    char **v = calloc(n ? n : 1, sizeof *v);

    *out = 0;
    for (size_t i = 0; v && i < n; i++) {
        const char *s = json_string_value(json_object_get(recs[i], key));
        if (s && *s)
            v[(*out)++] = (char *)s;
    }
    return v;
}

/* Fills h with what the server holds that the rows can match, for every
 * year the sheet touches: their record ids (every version), their titles,
 * their periods; never the community's whole year. */
static int compare_fetch(net_conn *conn, json_t *const *recs, size_t n, held_index *h)
{
    int years[COMPARE_MAX_YEARS], ny = 0;
    Huizong__RecordList rl = HUIZONG__RECORD_LIST__INIT;

    for (size_t i = 0; i < n; i++) {
        int y = compare_year(recs[i]), seen = 0;
        for (int k = 0; k < ny; k++)
            seen |= years[k] == y;
        if (!seen && y > 0 && ny < COMPARE_MAX_YEARS)
            years[ny++] = y;
    }
    rl.only_matching = true;
    rl.record_ids = compare_strings(recs, n, "record_id", &rl.n_record_ids);
    rl.titles = compare_strings(recs, n, "title", &rl.n_titles);
    rl.periods = compare_strings(recs, n, "period", &rl.n_periods);
    int rc = rl.record_ids && rl.titles && rl.periods ? HZ_EXIT_OK : HZ_EXIT_INTERNAL;
    for (int k = 0; rc == HZ_EXIT_OK && k < ny; k++) {
        Huizong__Request req = HUIZONG__REQUEST__INIT;
        Huizong__Response *resp;

        rl.year = years[k];
        rl.category = (char *)"";
        rl.versions = true; /* a stale sheet's rows match older versions */
        req.body_case = HUIZONG__REQUEST__BODY_RECORD_LIST;
        req.record_list = &rl;
        if ((rc = session_call(conn, &req, HUIZONG__RESPONSE__BODY_RECORD_LIST, NULL, &resp)) !=
            HZ_EXIT_OK)
            break;
        rc = held_add(h, resp->record_list) < 0 ? HZ_EXIT_INTERNAL : HZ_EXIT_OK;
        huizong__response__free_unpacked(resp, NULL);
    }
    free(rl.record_ids);
    free(rl.titles);
    free(rl.periods);
    return rc;
}

static int compare_amend(net_conn *conn, const import_sheet *s, ProtobufCMessage *m,
                         const char *rid, unsigned line)
{
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__RecordAmend am = HUIZONG__RECORD_AMEND__INIT;
    Huizong__Response *resp;
    int rc;

    am.record_id = (char *)rid;
    if (s->kind == IMPORT_ACTIVITY)
        am.activity = (Huizong__Activity *)m;
    else if (s->kind == IMPORT_INDICATOR)
        am.indicator_value = (Huizong__IndicatorValue *)m;
    else
        am.honor = (Huizong__Honor *)m;
    req.body_case = HUIZONG__REQUEST__BODY_RECORD_AMEND;
    req.record_amend = &am;
    if ((rc = session_call(conn, &req, HUIZONG__RESPONSE__BODY_RECORD_AMEND, NULL, &resp)) !=
        HZ_EXIT_OK) {
        diag_error(_("%s: line %u: the amend of record %s was not applied"), s->name, line, rid);
        return rc;
    }
    huizong__response__free_unpacked(resp, NULL);
    return HZ_EXIT_OK;
}

/* The first of two string fields of rec that is set ("" when neither). */
static const char *compare_field(const json_t *rec, const char *a, const char *b)
{
    const char *s = json_string_value(json_object_get(rec, a));

    if (s == NULL || *s == '\0')
        s = json_string_value(json_object_get(rec, b));
    return s ? s : "";
}

/* The message names both rows: the sheet's line and the held record. */
static void compare_probable(const import_sheet *s, unsigned line, const json_t *rec,
                             const char *held_id, const json_t *held, bool as_new)
{
    char change[1024];

    record_diff_line(change, sizeof change, held, rec);
    diag_error(_("%s: line %u: probable edit of held record %s (%s %s, same unit, date, category "
                 "and title; changed: %s); %s"),
               s->name, line, held_id, compare_field(rec, "date", "period"),
               compare_field(rec, "title", "indicator"), change,
               as_new ? _("added as a new record (--as-new)")
                      : _("not added: put its id in the 记录编号 column to amend it, or "
                          "import with --as-new to add it as another record"));
}

static void compare_one(net_conn *conn, const import_sheet *s, const held_index *h,
                        ProtobufCMessage *m, json_t *rec, size_t i, bool as_new,
                        unsigned char *keep, import_tally *t, int *rc)
{
    bool explicit_id = json_object_get(json_array_get(s->records, i), "record_id") != NULL;
    const char *other;
    const char *rid = json_string_value(json_object_get(rec, "record_id"));

    switch (held_classify(h, import_kind_record(s->kind), rec, explicit_id, &other)) {
    case HELD_UNCHANGED:
        /* Sent anyway: the server counts it a duplicate, as before. */
        keep[i] = 1;
        t->unchanged++;
        break;
    case HELD_AMEND:
        if (compare_amend(conn, s, m, rid, s->lines[i]) == HZ_EXIT_OK) {
            t->amended++;
        } else {
            t->failed++;
            *rc = HZ_EXIT_REFUSED;
        }
        break;
    case HELD_PROBABLE: {
        json_t *held = held_content(h, other);
        if (held == NULL)
            held = json_object();
        compare_probable(s, s->lines[i], rec, other, held, as_new);
        json_decref(held);
        if (as_new) {
            keep[i] = 1;
            t->fresh++;
        } else {
            t->probable++;
        }
        break;
    }
    case HELD_SUPERSEDED:
        t->superseded++;
        break;
    case HELD_NEW:
        keep[i] = 1;
        t->fresh++;
        break;
    }
}

int import_compare(const cconf *cfg, const import_sheet *s, const Huizong__SubmitBatch *b,
                   bool as_new, unsigned char *keep, import_tally *t)
{
    json_t **recs = calloc(s->n ? s->n : 1, sizeof *recs);
    held_index h = {0};
    net_conn *conn = NULL;
    char err[1024];
    int rc = HZ_EXIT_OK;

    memset(t, 0, sizeof *t);
    if (recs == NULL || held_init(&h) < 0) {
        free(recs);
        return HZ_EXIT_INTERNAL;
    }
    for (size_t i = 0; i < s->n; i++) {
        ProtobufCMessage *m = compare_msg(s, b, i);
        recs[i] = m ? pbjson_from_message(m) : NULL;
    }
    if (net_open(cfg, &conn, err, sizeof err) == HZ_EXIT_OK)
        spool_before_command(cfg, conn);
    else
        conn = NULL;
    if (conn == NULL || compare_fetch(conn, recs, s->n, &h) != HZ_EXIT_OK) {
        /* Offline, the spool still takes every row (nothing is lost); an
         * edited row with an id is then refused when sent, and the import
         * is run again once the server answers. */
        diag_error(_("%s: cannot compare with the records the server holds (%s); every row is "
                     "queued as it is"), s->name, conn ? _("it did not list them") : err);
        t->offline = true;
        memset(keep, 1, s->n);
        t->fresh = s->n;
        goto done;
    }
    for (size_t i = 0; i < s->n; i++)
        if (recs[i])
            compare_one(conn, s, &h, compare_msg(s, b, i), recs[i], i, as_new, keep, t, &rc);
done:
    if (conn)
        net_close(conn);
    for (size_t i = 0; i < s->n; i++)
        json_decref(recs[i]);
    free(recs);
    held_free(&h);
    return rc;
}

void import_tally_print(const char *path, const import_tally *t)
{
    printf(_("%s: %zu unchanged, %zu amended, %zu new"), path, t->unchanged, t->amended, t->fresh);
    if (t->superseded)
        printf(_(", %zu superseded (an earlier version of a held record; not sent)"), t->superseded);
    if (t->probable)
        printf(_(", %zu probable edits not added"), t->probable);
    if (t->failed)
        printf(_(", %zu amends refused"), t->failed);
    fputc('\n', stdout);
}
