/* Builders and fixture of the authorization matrix; see harness_authz.h. */
#include "harness_authz.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "harness_period.h"
#include "records.h"
#include "wire.h"

#define W AUTHZ_COLUMNS
#define REASON "授权矩阵测试"

/* What the builders refer to, made by authz_fixture_setup: per column, a
 * record of c1 to amend and one to retract (2015, never locked), one to
 * file a correction for, and a pending correction to approve and one to
 * reject (2017, locked for c1). */
static struct {
    char amend[W][REC_UUID_LEN], retract[W][REC_UUID_LEN], correct[W][REC_UUID_LEN];
    char approve_rec[W][REC_UUID_LEN], reject_rec[W][REC_UUID_LEN];
    uint64_t approve[W], reject[W];
} fx;

/* 0 when r is an OK response; otherwise prints why and returns -1. Frees r. */
static int fixture_ok(Huizong__Response *r, const char *what, int who)
{
    int ok = r && r->status == HUIZONG__STATUS__OK;
    if (!ok)
        fprintf(stderr, "authz fixture: %s (column %d): %s %s\n", what, who,
                r ? wire_status_name(r->status) : "no response", r && r->message ? r->message : "");
    harness_response_free(r);
    return ok ? 0 : -1;
}

/* Scratch units, categories and indicators for the retire rows. */
static int fixture_admin(SSL *admin)
{
    char code[32];
    int rc = 0;

    for (int w = 0; w < W && rc == 0; w++) {
        snprintf(code, sizeof code, "authz-rt-%d", w);
        if (harness_unit_add(admin, code, "授权退役社区", "s1", "community") != HUIZONG__STATUS__OK) {
            fprintf(stderr, "authz fixture: unit_add %s failed\n", code);
            rc = -1;
        }
        rc = rc ? rc : fixture_ok(hp_call(admin, "{\"request_id\": 3, \"category_add\": {\"code\": "
                                          "\"authz-rc-%d\", \"name\": \"授权退役类别%d\"}}", w, w),
                                  "category_add", w);
        rc = rc ? rc : fixture_ok(hp_call(admin, "{\"request_id\": 4, \"indicator_add\": {\"code\": "
                                          "\"authz_ri_%d\", \"name\": \"授权退役指标%d\", \"unit\": \"篇\","
                                          " \"period_type\": \"month\", \"aggregation\": \"sum\"}}", w, w),
                                  "indicator_add", w);
    }
    return rc;
}

/* The locks the unlock row lifts, set by district d1 (not the admin): an
 * admin's lock is the admin's alone to lift, so d1's cell would test that
 * rule instead of "a district principal over the subtree may unlock". */
static int fixture_unlock_months(harness *h)
{
    const char *creds = harness_issue_creds(h, "d1", "district");
    SSL *d1 = creds ? harness_connect_hello(h, creds) : NULL;
    int rc = d1 ? 0 : -1;

    for (int w = 0; w < W && rc == 0; w++)
        rc = fixture_ok(hp_call(d1, "{\"request_id\": 5, \"period_lock\": {\"unit_code\": "
                                "\"c1\", \"period\": \"2018-%02d\"}}", w + 1),
                        "period_lock 2018", w);
    harness_close(d1);
    return rc;
}

/* One activity of c1 on `date`; its record id copied into `id`. */
static void fixture_activity(Huizong__SubmitBatch *b, const char *date, char id[REC_UUID_LEN])
{
    Huizong__Activity *a = rec_activity(b, "c1", date, "fire", 10, "授权矩阵记录");
    snprintf(id, REC_UUID_LEN, "%s", a->record_id);
}

/* The records of c1 every column's cells work on. */
static int fixture_records(SSL *own)
{
    Huizong__Request *req = rec_request(6);
    Huizong__SubmitBatch *b = rec_submit(req);
    char date[32];

    for (int w = 0; w < W; w++) {
        snprintf(date, sizeof date, "2015-03-%02d", w + 1);
        fixture_activity(b, date, fx.amend[w]);
        snprintf(date, sizeof date, "2015-04-%02d", w + 1);
        fixture_activity(b, date, fx.retract[w]);
        snprintf(date, sizeof date, "2017-03-%02d", w + 1);
        fixture_activity(b, date, fx.correct[w]);
        snprintf(date, sizeof date, "2017-04-%02d", w + 1);
        fixture_activity(b, date, fx.approve_rec[w]);
        snprintf(date, sizeof date, "2017-05-%02d", w + 1);
        fixture_activity(b, date, fx.reject_rec[w]);
    }
    Huizong__Response *r = harness_call(own, req);
    rec_free(req);
    if (r && r->status == HUIZONG__STATUS__OK && r->submit && r->submit->accepted != 5 * W) {
        fprintf(stderr, "authz fixture: submit accepted %u of %d\n", r->submit->accepted, 5 * W);
        r->status = HUIZONG__STATUS__INTERNAL;
    }
    return fixture_ok(r, "submit", 0);
}

/* c1 files a retraction of `rec` (in the locked 2017); its id into *id. */
static int fixture_correction(SSL *own, const char *rec, uint64_t *id, int who)
{
    Huizong__Response *r = hp_call(own, "{\"request_id\": 7, \"correction_file\": {\"record_id\": \"%s\","
                                   " \"retract\": true, \"reason\": \"" REASON "\"}}", rec);
    if (r && r->status == HUIZONG__STATUS__OK && r->correction_file)
        *id = r->correction_file->correction_id;
    return fixture_ok(r, "correction_file", who);
}

int authz_fixture_setup(harness *h, const char *admin_creds, const char *own_creds)
{
    SSL *admin = harness_connect_hello(h, admin_creds), *own = harness_connect_hello(h, own_creds);
    int rc = admin && own ? 0 : -1;

    rc = rc ? rc : fixture_admin(admin);
    rc = rc ? rc : fixture_unlock_months(h);
    rc = rc ? rc : fixture_records(own);
    rc = rc ? rc : fixture_ok(hp_call(admin, "{\"request_id\": 8, \"period_lock\": {\"unit_code\": \"c1\","
                                      " \"period\": \"2017\"}}"), "period_lock 2017", 0);
    for (int w = 0; w < W && rc == 0; w++) {
        rc = fixture_correction(own, fx.approve_rec[w], &fx.approve[w], w);
        rc = rc ? rc : fixture_correction(own, fx.reject_rec[w], &fx.reject[w], w);
    }
    harness_close(admin);
    harness_close(own);
    return rc;
}

/* ---------------------------------------------------------------- org ---- */
/* All admin-only. Renames and moves that keep c1 and "fire" where they are
 * (or only rename them), so the other rows see the same tree. */

#define REQ(body) "{\"request_id\": 2, " body "}"

Huizong__Request *authz_unit_rename(int who)
{
    return hp_request(REQ("\"unit_rename\": {\"code\": \"c1\", \"name\": \"授权社区%d\"}"), who);
}

Huizong__Request *authz_unit_move(int who)
{
    (void)who; /* to its own parent: OK, unchanged */
    return hp_request(REQ("\"unit_move\": {\"code\": \"c1\", \"parent_code\": \"s1\"}"));
}

Huizong__Request *authz_unit_retire(int who)
{
    return hp_request(REQ("\"unit_retire\": {\"code\": \"authz-rt-%d\"}"), who);
}

Huizong__Request *authz_unit_list(int who)
{
    (void)who;
    return hp_request(REQ("\"unit_list\": {\"under\": \"c1\"}"));
}

Huizong__Request *authz_category_add(int who)
{
    return hp_request(REQ("\"category_add\": {\"code\": \"authz-ca-%d\", \"name\": \"授权类别%d\","
                          " \"parent_code\": \"education\"}"), who, who);
}

Huizong__Request *authz_category_rename(int who)
{
    return hp_request(REQ("\"category_rename\": {\"code\": \"fire\", \"name\": \"消防宣传%d\"}"), who);
}

Huizong__Request *authz_category_section(int who)
{
    (void)who; /* the section the built-in table gives it: OK, changed or not */
    return hp_request(REQ("\"category_section\": {\"code\": \"fire\", \"section\": \"education\"}"));
}

Huizong__Request *authz_category_move(int who)
{
    (void)who; /* to its own parent: OK, unchanged */
    return hp_request(REQ("\"category_move\": {\"code\": \"fire\", \"parent_code\": \"education\"}"));
}

Huizong__Request *authz_category_retire(int who)
{
    return hp_request(REQ("\"category_retire\": {\"code\": \"authz-rc-%d\"}"), who);
}

Huizong__Request *authz_category_list(int who)
{
    (void)who;
    return hp_request(REQ("\"category_list\": {}"));
}

Huizong__Request *authz_indicator_add(int who)
{
    return hp_request(REQ("\"indicator_add\": {\"code\": \"authz_ia_%d\", \"name\": \"授权指标%d\","
                          " \"unit\": \"篇\", \"period_type\": \"month\", \"aggregation\": \"sum\"}"),
                      who, who);
}

Huizong__Request *authz_indicator_update(int who)
{
    return hp_request(REQ("\"indicator_update\": {\"code\": \"briefs\", \"name\": \"简讯%d\"}"), who);
}

Huizong__Request *authz_indicator_list(int who)
{
    (void)who;
    return hp_request(REQ("\"indicator_list\": {}"));
}

Huizong__Request *authz_indicator_retire(int who)
{
    return hp_request(REQ("\"indicator_retire\": {\"code\": \"authz_ri_%d\"}"), who);
}

/* ------------------------------------------------------------- period ---- */
/* Rules of c1 (admin anywhere, district in its subtree), a period per
 * column: quotas from 2021-MM, locks of 2019-MM, unlocks of the 2018-MM the
 * fixture locked, nil reports of 2016-MM (never locked). */

Huizong__Request *authz_quota_set(int who)
{
    return hp_request(REQ("\"quota_set\": {\"unit_code\": \"c1\", \"indicator\": \"briefs\","
                          " \"period_type\": \"month\", \"minimum\": 1, \"effective_from\": \"2021-%02d\"}"),
                      who + 1);
}

Huizong__Request *authz_quota_list(int who)
{
    (void)who;
    return hp_request(REQ("\"quota_list\": {\"unit_code\": \"c1\"}"));
}

Huizong__Request *authz_deadline_set(int who)
{
    return hp_request(REQ("\"deadline_set\": {\"indicators\": [\"briefs\"], \"day\": %d, \"unit_code\": \"c1\"}"),
                      who + 10);
}

Huizong__Request *authz_deadline_list(int who)
{
    (void)who;
    return hp_request(REQ("\"deadline_list\": {\"unit_code\": \"c1\"}"));
}

Huizong__Request *authz_period_lock(int who)
{
    return hp_request(REQ("\"period_lock\": {\"unit_code\": \"c1\", \"period\": \"2019-%02d\"}"), who + 1);
}

Huizong__Request *authz_period_unlock(int who)
{
    return hp_request(REQ("\"period_unlock\": {\"unit_code\": \"c1\", \"period\": \"2018-%02d\"}"), who + 1);
}

Huizong__Request *authz_period_lock_list(int who)
{
    (void)who;
    return hp_request(REQ("\"period_lock_list\": {\"unit_code\": \"c1\"}"));
}

/* NilReport names no unit: it is always about the sender's own unit. */
Huizong__Request *authz_nil_report(int who)
{
    return hp_request(REQ("\"nil_report\": {\"period\": \"2016-%02d\", \"indicators\": [\"briefs\"]}"), who + 1);
}

Huizong__Request *authz_record_amend(int who)
{
    return hp_request(REQ("\"record_amend\": {\"record_id\": \"%s\", \"activity\": {\"date\": \"2015-03-%02d\","
                          " \"category\": \"fire\", \"title\": \"授权矩阵记录（改）\", \"participants\": 11}}"),
                      fx.amend[who], who + 1);
}

Huizong__Request *authz_record_retract(int who)
{
    return hp_request(REQ("\"record_retract\": {\"record_id\": \"%s\", \"reason\": \"" REASON "\"}"),
                      fx.retract[who]);
}

/* RecordList names no unit: the sender's own records. */
Huizong__Request *authz_record_list(int who)
{
    (void)who;
    return hp_request(REQ("\"record_list\": {\"year\": 2020}"));
}

Huizong__Request *authz_correction_file(int who)
{
    return hp_request(REQ("\"correction_file\": {\"record_id\": \"%s\", \"retract\": true,"
                          " \"reason\": \"" REASON "\"}"), fx.correct[who]);
}

Huizong__Request *authz_correction_list(int who)
{
    (void)who;
    return hp_request(REQ("\"correction_list\": {\"unit_code\": \"c1\", \"status\": \"all\"}"));
}

Huizong__Request *authz_correction_approve(int who)
{
    return hp_request(REQ("\"correction_approve\": {\"correction_id\": %" PRIu64 "}"), fx.approve[who]);
}

Huizong__Request *authz_correction_reject(int who)
{
    return hp_request(REQ("\"correction_reject\": {\"correction_id\": %" PRIu64 ", \"reason\": \"" REASON "\"}"),
                      fx.reject[who]);
}

/* ----------------------------------------------------------- district ---- */

Huizong__Request *authz_export(int who)
{
    (void)who;
    return hp_request(REQ("\"export\": {\"year\": 2020, \"unit_code\": \"c1\", \"page_size\": 1}"));
}

Huizong__Request *authz_pull(int who)
{
    (void)who;
    return hp_request(REQ("\"pull\": {\"unit_code\": \"c1\", \"limit\": 1}"));
}

int authz_call_status(SSL *s, const Huizong__Request *req)
{
    Huizong__Response *r = harness_call(s, req);
    int st;

    /* An export streams chunks until last = true; an error ends it. */
    while (r && r->status == HUIZONG__STATUS__OK && r->body_case == HUIZONG__RESPONSE__BODY_EXPORT &&
           !r->export->last) {
        harness_response_free(r);
        r = harness_recv_response(s);
    }
    st = r ? (int)r->status : -1;
    harness_response_free(r);
    return st;
}
