/* Sending the spool, batch by batch, oldest first. */
#include "spool/spool_send.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/diag.h"
#include "kind.h"
#include "spool/spool_unit.h"
#include "wire.h"
#include "cli/reason.h"
#include "i18n.h"

enum { SENT, REJECTED, STOPPED };

int spool_status_retryable(Huizong__Status s)
{
    switch (s) {
    case HUIZONG__STATUS__UNAVAILABLE:
    case HUIZONG__STATUS__DEADLINE_EXCEEDED:
    case HUIZONG__STATUS__UNAUTHENTICATED:
    case HUIZONG__STATUS__INTERNAL:
    case HUIZONG__STATUS__ABORTED:
    case HUIZONG__STATUS__RESOURCE_EXHAUSTED:
    case HUIZONG__STATUS__UNKNOWN:
    case HUIZONG__STATUS__CANCELLED:
        return 1;
    default:
        return 0;
    }
}

static void send_append(char **note, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void send_append(char **note, size_t *len, const char *fmt, ...)
{
    va_list ap;
    char line[1024];

    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    n = n >= (int)sizeof line ? (int)sizeof line - 1 : n;
    char *more = realloc(*note, *len + (size_t)n + 1);
    if (more == NULL)
        return;
    memcpy(more + *len, line, (size_t)n + 1);
    *note = more;
    *len += (size_t)n;
}

/* "  activities[3].category: reason (data.csv line 5)" for each error. */
static void send_error_lines(const spool_batch *sb, const Huizong__Response *r,
                             const uint32_t first[3], char **note, size_t *len)
{
    const Huizong__SubmitBatch *b = sb->batch;

    for (size_t i = 0; i < r->n_errors; i++) {
        const Huizong__FieldError *e = r->errors[i];
        const char *array = kind_array_name(e->kind);
        int k = kind_from_name(e->kind);

        char text[512];
        const char *reason = diag_refusal_text(e->info, e->reason, text, sizeof text);

        if (array == NULL || k < 0) {
            send_append(note, len, "  %s: %s\n", e->field && *e->field ? e->field : _("(batch)"),
                        reason);
            continue;
        }
        size_t base = 0; /* records of the kinds before k: the batch lists them first */
        for (kind_id j = KIND_ACTIVITY; j < (kind_id)k; j++)
            base += kind_batch_count(b, j);
        size_t idx = first[k] + e->index, pos = base + idx;
        send_append(note, len, "  %s[%zu].%s: %s", array, idx,
                    e->field && *e->field ? e->field : _("(record)"), reason);
        if (sb->lines && pos < sb->n_lines)
            send_append(note, len, _(" (%s line %u)"), sb->source, (unsigned)sb->lines[pos]);
        send_append(note, len, "\n");
    }
}

/* Sets a refused batch aside with its errors, and says so. */
static void send_reject(const cconf *cfg, const spool_batch *sb, const Huizong__Response *r,
                        const uint32_t first[3], spool_tally *t)
{
    char *note = NULL, err[1024], when[32];
    size_t len = 0;
    time_t now = time(NULL);

    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&now));
    send_append(&note, &len, "rejected %s: %s: %s\n", when, wire_status_name(r->status),
                r->message ? r->message : "");
    send_error_lines(sb, r, first, &note, &len);
    char text[512];
    const char *msg = diag_response_text(r, text, sizeof text);

    diag_error(_("%s: batch of %zu records refused by the server; set aside in %s/%s/%s, not "
                 "resent: %s: %s"),
               sb->source, sb->records, cfg->spool, SPOOL_REJECTED, sb->name,
               reason_status_words(r->status), msg);
    if (note && strchr(note, '\n') != strrchr(note, '\n'))
        fputs(strchr(note, '\n') + 1, stderr);
    if (spool_move(cfg->spool, sb->name, SPOOL_REJECTED, note ? note : "rejected\n", err,
                   sizeof err) < 0)
        diag_error("%s", err);
    free(note);
    t->rejected_batches++;
    t->rejected_records += sb->records;
}

static void send_count(spool_tally *t, const Huizong__SubmitResult *s)
{
    t->accepted += s->accepted;
    t->duplicates += s->duplicates;
    t->superseded += s->superseded;
    if (s->submission_id && *s->submission_id) {
        if (t->sub_count++ == 0)
            snprintf(t->first_sub, sizeof t->first_sub, "%s", s->submission_id);
        snprintf(t->last_sub, sizeof t->last_sub, "%s", s->submission_id);
    }
}

/* One slice: OK, rejected, or stopped (err filled, rc set). */
static int send_slice_call(net_conn *c, Huizong__SubmitBatch *sub, Huizong__Response **resp,
                           int *rc, char *err, size_t errlen)
{
    Huizong__Request req = HUIZONG__REQUEST__INIT;

    req.body_case = HUIZONG__REQUEST__BODY_SUBMIT;
    req.submit = sub;
    if ((*rc = net_call(c, &req, resp, err, errlen)) != HZ_EXIT_OK)
        return STOPPED;
    const Huizong__Response *r = *resp;
    if (r->status == HUIZONG__STATUS__OK && r->body_case == HUIZONG__RESPONSE__BODY_SUBMIT)
        return SENT;
    if (r->status == HUIZONG__STATUS__OK || spool_status_retryable(r->status)) {
        snprintf(err, errlen, _("server unavailable: %s: %s"),
                 r->status == HUIZONG__STATUS__OK ? "OK without a result"
                                                  : wire_status_name(r->status),
                 r->message ? r->message : "");
        *rc = r->status == HUIZONG__STATUS__OK ? HZ_EXIT_INTERNAL
                                               : diag_status_exit(r->status);
        return STOPPED;
    }
    return REJECTED;
}

/* The record at flat position i (activities, indicator values, honours). */
static const ProtobufCMessage *send_record(const Huizong__SubmitBatch *b, size_t i)
{
    if (i < b->n_activities)
        return &b->activities[i]->base;
    i -= b->n_activities;
    if (i < b->n_indicator_values)
        return &b->indicator_values[i]->base;
    return &b->honors[i - b->n_indicator_values]->base;
}

/* How many records from start fit in one request: at most the server's
 * record limit, and few enough that the frame stays under its byte limit
 * (long summaries make 5,000 records larger than 1 MiB). Always at least one. */
static size_t send_fit(const net_conn *c, const Huizong__SubmitBatch *b, size_t start,
                       size_t total)
{
    const Huizong__Limits *lim = net_hello(c)->limits;
    size_t max = lim && lim->max_batch_records ? lim->max_batch_records : HZ_DEFAULT_MAX_BATCH;
    size_t bytes = lim && lim->max_frame_bytes ? lim->max_frame_bytes : HZ_DEFAULT_MAX_FRAME;
    size_t n = 0, used = 64; /* request id, oneof and batch tags */

    bytes -= bytes / 16; /* headroom for the per-record tags and lengths */
    while (start + n < total && n < max) {
        size_t sz = protobuf_c_message_get_packed_size(send_record(b, start + n)) + 6;
        if (n > 0 && used + sz > bytes)
            break;
        used += sz;
        n++;
    }
    return n;
}

static int send_file(const cconf *cfg, net_conn *c, spool_batch *sb, progress *pg,
                     spool_tally *t, int *rc, char *err, size_t errlen)
{
    int out = SENT;

    for (size_t start = 0, n = 0; start < sb->records && out == SENT; start += n) {
        n = send_fit(c, sb->batch, start, sb->records);
        Huizong__SubmitBatch sub;
        Huizong__Response *resp = NULL;
        uint32_t first[3];

        spool_slice(sb->batch, start, n, &sub, first);
        pg->sent += n;
        progress_update(pg);
        out = send_slice_call(c, &sub, &resp, rc, err, errlen);
        if (out == SENT) {
            send_count(t, resp->submit);
            pg->acked += n;
            progress_update(pg);
        } else if (out == REJECTED) {
            send_reject(cfg, sb, resp, first, t);
        }
        if (resp)
            huizong__response__free_unpacked(resp, NULL);
    }
    if (out == SENT) {
        t->batches++;
        t->records += sb->records;
        if (spool_remove(cfg->spool, sb->name, err, errlen) < 0)
            diag_error("%s", err);
    }
    return out;
}

/* First pass: headers only. Damaged files go aside now; returns how many
 * records the connected unit has to send. */
static size_t flush_scan(const cconf *cfg, const spool_names *q, const char *unit,
                         unsigned char *mine_unit, spool_result *res)
{
    size_t total = 0;
    char err[1024], e2[1024];

    for (size_t i = 0; i < q->n; i++) {
        spool_batch sb;
        int rc = spool_load(cfg->spool, NULL, q->names[i], 0, &sb, err, sizeof err);

        mine_unit[i] = 0;
        if (rc == -2) {
            diag_error("%s/%s: damaged spool file: %s; moved to %s/" SPOOL_DAMAGED
                       ", its records were not sent", cfg->spool, q->names[i], err, cfg->spool);
            if (spool_move(cfg->spool, q->names[i], SPOOL_DAMAGED, err, e2, sizeof e2) < 0)
                diag_error("%s", e2);
            res->damaged++;
        } else if (rc < 0) {
            diag_error("%s", err);
        } else if (unit && strcmp(sb.unit, unit) == 0) {
            mine_unit[i] = 1;
            total += sb.records;
        } else {
            res->other_batches++;
            res->other_records += sb.records;
        }
        spool_batch_free(&sb);
    }
    return total;
}

static void flush_stop(const cconf *cfg, spool_result *res, int rc, const char *err)
{
    diag_error("%s", err);
    spool_last_error_set(cfg->spool, err);
    res->rc = rc;
}

static void flush_send_all(const cconf *cfg, net_conn *c, const spool_names *q,
                           const unsigned char *mine_unit, const spool_names *mine,
                           progress *pg, spool_result *res)
{
    char err[1024];

    for (size_t i = 0; i < q->n; i++) {
        spool_batch sb = {0};
        int rc = HZ_EXIT_OK;

        if (!mine_unit[i])
            continue;
        if (res->rc != HZ_EXIT_OK ||
            spool_load(cfg->spool, NULL, q->names[i], 1, &sb, err, sizeof err) != 0) {
            if (res->rc == HZ_EXIT_OK) /* vanished or changed since the scan */
                diag_error("%s", err);
            spool_batch_free(&sb);
            continue;
        }
        spool_tally *t = spool_names_has(mine, sb.name) ? &res->mine : &res->older;
        if (send_file(cfg, c, &sb, pg, t, &rc, err, sizeof err) == STOPPED)
            flush_stop(cfg, res, rc, err);
        spool_batch_free(&sb);
    }
}

/* What is still queued for the unit after the run, and of this command. */
static void flush_left(const cconf *cfg, const char *unit, const spool_names *mine,
                       spool_result *res)
{
    spool_names q;
    char err[1024];

    res->left_batches = res->left_records = res->mine_left = 0;
    if (spool_list(cfg->spool, NULL, &q, err, sizeof err) < 0)
        return;
    for (size_t i = 0; i < q.n; i++) {
        spool_batch sb;

        if (mine && spool_names_has(mine, q.names[i]))
            res->mine_left++;
        if (spool_load(cfg->spool, NULL, q.names[i], 0, &sb, err, sizeof err) == 0 &&
            (!unit || strcmp(sb.unit, unit) == 0)) {
            res->left_batches++;
            res->left_records += sb.records;
        }
        spool_batch_free(&sb);
    }
    spool_names_free(&q);
}

/* One sender at a time: two syncs would send the same batch twice (harmless,
 * duplicates) and trip over each other's removals (noisy). -1: no spool yet. */
static int flush_lock(const char *dir)
{
    char path[4200];
    int fd;

    snprintf(path, sizeof path, "%s/.lock", dir);
    if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
        return -1;
    while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
        ;
    return fd;
}

static void flush_unlock(int fd)
{
    if (fd >= 0)
        close(fd);
}

void spool_flush(const cconf *cfg, net_conn *conn, const spool_names *mine, progress *pg,
                 spool_result *res)
{
    char err[1024], *unit = res->cert_unit;
    spool_names q;
    net_conn *own = NULL;

    memset(res, 0, sizeof *res);
    int lock = flush_lock(cfg->spool);
    if (spool_list(cfg->spool, NULL, &q, err, sizeof err) < 0) {
        flush_unlock(lock);
        diag_error("%s", err);
        res->rc = HZ_EXIT_INTERNAL;
        return;
    }
    unsigned char *mine_unit = calloc(q.n + 1, 1);
    /* Before connecting, the certificate tells whose records these are; a
     * certificate that is not a community's sends none (not even its unit's). */
    spool_cert_identity(cfg->cert, unit, res->cert_role);
    int sender = spool_cert_sends(unit, res->cert_role);
    size_t total = mine_unit ? flush_scan(cfg, &q, sender ? unit : NULL, mine_unit, res) : 0;
    if (total > 0 && conn == NULL) {
        int rc = net_open(cfg, &own, err, sizeof err);
        if (rc != HZ_EXIT_OK)
            flush_stop(cfg, res, rc, err);
        conn = own;
    }
    if (total > 0 && conn) {
        const Huizong__HelloResult *h = net_hello(conn);
        if (h->role != HUIZONG__ROLE__ROLE_COMMUNITY || strcmp(h->unit_code, unit) != 0) {
            memset(mine_unit, 0, q.n); /* connected as someone else: theirs to send */
            snprintf(res->principal, sizeof res->principal, "%s %s", wire_role_name(h->role),
                     h->unit_code);
        }
        pg->total = total;
        if (pg->queued < total)
            pg->queued = total;
        flush_send_all(cfg, conn, &q, mine_unit, mine, pg, res);
    }
    net_close(own);
    flush_left(cfg, sender ? unit : NULL, mine, res);
    if (res->rc == HZ_EXIT_OK && res->left_records == 0)
        spool_last_error_clear(cfg->spool);
    free(mine_unit);
    spool_names_free(&q);
    flush_unlock(lock);
}

long spool_set_aside_unit(const cconf *cfg, const char *unit, char *err, size_t errlen)
{
    char note[1024], when[32], e2[1024];
    time_t now = time(NULL);
    spool_names q;
    long records = 0;
    int lock = flush_lock(cfg->spool);

    if (spool_list(cfg->spool, NULL, &q, err, errlen) < 0) {
        flush_unlock(lock);
        return -1;
    }
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&now));
    snprintf(note, sizeof note, _("set aside %s by `huizong sync --set-aside %s`: queued under "
             "unit %s, never sent\n"), when, unit, unit);
    for (size_t i = 0; i < q.n; i++) {
        spool_batch sb;

        if (spool_load(cfg->spool, NULL, q.names[i], 0, &sb, e2, sizeof e2) == 0 &&
            strcmp(sb.unit, unit) == 0) {
            if (spool_move(cfg->spool, q.names[i], SPOOL_REJECTED, note, e2, sizeof e2) < 0)
                diag_error("%s", e2);
            else
                records += (long)sb.records;
        }
        spool_batch_free(&sb);
    }
    spool_names_free(&q);
    flush_unlock(lock);
    return records;
}
