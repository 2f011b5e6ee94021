/* The authorization matrix: every request type × every kind of principal,
 * each cell the exact status the real server answers. The table below is the
 * specification; docs/cred.md prints the same table, and this test fails when
 * the two differ (it prints the table to paste). A new request type is one
 * more row: a name, a builder, and six statuses. The builders of the org,
 * period and district requests, and the records, locks and corrections
 * they work on, are in harness_authz.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/pem.h>

#include "cert.h"
#include "cert_csr.h"
#include "harness_authz.h"
#include "harness_cred.h"
#include "records.h"
#include "wire.h"

enum { P_OWN, P_SIBLING, P_DISTRICT, P_OTHER_BRANCH, P_ADMIN, P_REVOKED, P_COUNT };

/* Who each column is, in the tree of harness_setup_tree (d1 -> s1 -> c1, c2;
 * d1 -> s2 -> c3). The requests are about community c1. */
static const struct {
    const char *title, *unit, *role;
} principals[P_COUNT] = {
    [P_OWN] = {"community c1 (own unit)", "c1", "community"},
    [P_SIBLING] = {"community c2 (sibling)", "c2", "community"},
    [P_DISTRICT] = {"district d1 (above)", "d1", "district"},
    [P_OTHER_BRANCH] = {"district s2 (other branch)", "s2", "district"},
    [P_ADMIN] = {"admin", "d1", "admin"},
    [P_REVOKED] = {"revoked certificate (c1)", "c1", "community"},
};

static Huizong__Request *build_hello(int who)
{
    (void)who; /* Hello itself is sent for every cell: nothing more */
    return NULL;
}

static Huizong__Request *build_submit(int who)
{
    Huizong__Request *r = rec_request(2);
    (void)who;
    rec_activity(rec_submit(r), "c1", "2020-04-12", "fire", 40, "消防安全知识讲座");
    return r;
}

static Huizong__Request *build_summary(int who)
{
    Huizong__Request *r = rec_request(2);
    (void)who;
    rec_summary(r, 2020, "c1");
    return r;
}

static Huizong__Request *build_unit_add(int who)
{
    Huizong__Request *r = rec_request(2);
    Huizong__UnitAdd *u = malloc(sizeof *u);
    char code[32];
    huizong__unit_add__init(u);
    snprintf(code, sizeof code, "authz-%d", who);
    rec_set(&u->code, code);
    rec_set(&u->name, "授权测试");
    rec_set(&u->parent_code, "s1");
    rec_set(&u->level, "community");
    r->body_case = HUIZONG__REQUEST__BODY_UNIT_ADD;
    r->unit_add = u;
    return r;
}

static Huizong__Request *build_enroll_create(int who)
{
    Huizong__Request *r = rec_request(2);
    Huizong__EnrollCreate *e = malloc(sizeof *e);
    (void)who;
    huizong__enroll_create__init(e);
    rec_set(&e->unit_code, "c1");
    rec_set(&e->role, "community");
    r->body_case = HUIZONG__REQUEST__BODY_ENROLL_CREATE;
    r->enroll_create = e;
    return r;
}

static Huizong__Request *build_enroll(int who)
{
    Huizong__Request *r = rec_request(2);
    Huizong__Enroll *e = malloc(sizeof *e);
    (void)who;
    huizong__enroll__init(e);
    rec_set(&e->code, "c1/community/AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH");
    rec_set(&e->csr_pem, "not used: refused before it is read");
    r->body_case = HUIZONG__REQUEST__BODY_ENROLL;
    r->enroll = e;
    return r;
}

static Huizong__Request *build_cert_list(int who)
{
    Huizong__Request *r = rec_request(2);
    Huizong__CertList *q = malloc(sizeof *q);
    (void)who;
    huizong__cert_list__init(q);
    r->body_case = HUIZONG__REQUEST__BODY_CERT_LIST;
    r->cert_list = q;
    return r;
}

static Huizong__Request *build_stats(int who)
{
    Huizong__Request *r = rec_request(2);
    Huizong__StatsRequest *q = malloc(sizeof *q);
    (void)who;
    huizong__stats_request__init(q);
    r->body_case = HUIZONG__REQUEST__BODY_STATS;
    r->stats = q;
    return r;
}

static Huizong__Request *build_cert_revoke(int who)
{
    Huizong__Request *r = rec_request(2);
    Huizong__CertRevoke *q = malloc(sizeof *q);
    (void)who;
    huizong__cert_revoke__init(q);
    /* Unknown, so that even the admin's cell changes nothing. */
    rec_set(&q->fingerprint, "0000000000000000000000000000000000000000000000000000000000000000");
    r->body_case = HUIZONG__REQUEST__BODY_CERT_REVOKE;
    r->cert_revoke = q;
    return r;
}

static Huizong__Request *build_audit(int who)
{
    Huizong__Request *r = rec_request(2);
    Huizong__AuditQuery *q = malloc(sizeof *q);
    (void)who;
    huizong__audit_query__init(q);
    rec_set(&q->unit_code, "c1");
    r->body_case = HUIZONG__REQUEST__BODY_AUDIT;
    r->audit = q;
    return r;
}

#define OK HUIZONG__STATUS__OK
#define DENIED HUIZONG__STATUS__PERMISSION_DENIED
#define UNAUTH HUIZONG__STATUS__UNAUTHENTICATED
#define NOTFOUND HUIZONG__STATUS__NOT_FOUND
/* The shapes most rows share. */
#define ADMIN_ONLY {DENIED, DENIED, DENIED, DENIED, OK, UNAUTH}
#define MANAGERS {DENIED, DENIED, OK, DENIED, OK, UNAUTH}      /* admin, district over c1 */
#define READERS {OK, DENIED, OK, DENIED, OK, UNAUTH}           /* c1 itself, district over it, admin */
#define OWN_COMMUNITY {OK, DENIED, DENIED, DENIED, DENIED, UNAUTH} /* only c1 */
#define ANY_COMMUNITY {OK, OK, DENIED, DENIED, DENIED, UNAUTH}  /* no unit named: each its own */
#define EVERYONE {OK, OK, OK, OK, OK, UNAUTH}                  /* any valid certificate */

static const struct {
    const char *request, *note;
    authz_build_fn build;
    Huizong__Status want[P_COUNT];
} matrix[] = {
    /* request        what is asked                 own  sibling district other  admin  revoked */
    {"hello", "connect and say Hello", build_hello, {OK, OK, OK, OK, OK, UNAUTH}},
    {"submit", "an activity of c1", build_submit, {OK, DENIED, DENIED, DENIED, DENIED, UNAUTH}},
    {"summary", "2020 summary of c1", build_summary, {OK, DENIED, OK, DENIED, OK, UNAUTH}},
    {"unit_add", "a community under s1", build_unit_add, {DENIED, DENIED, DENIED, DENIED, OK, UNAUTH}},
    {"enroll_create", "a code for c1", build_enroll_create, {DENIED, DENIED, DENIED, DENIED, OK, UNAUTH}},
    {"enroll", "Enroll on the main port", build_enroll, {DENIED, DENIED, DENIED, DENIED, DENIED, UNAUTH}},
    {"cert_list", "all certificates", build_cert_list, {DENIED, DENIED, DENIED, DENIED, OK, UNAUTH}},
    {"cert_revoke", "an unknown fingerprint", build_cert_revoke, {DENIED, DENIED, DENIED, DENIED, NOTFOUND, UNAUTH}},
    {"audit", "audit rows of c1", build_audit, {DENIED, DENIED, OK, DENIED, OK, UNAUTH}},
    /* org tree, categories, indicators (docs/org.md): changes admin only;
     * lists for everyone, a unit list kept to the sender's subtree */
    {"unit_rename", "rename c1", authz_unit_rename, ADMIN_ONLY},
    {"unit_move", "move c1 under s1 (its parent)", authz_unit_move, ADMIN_ONLY},
    {"unit_retire", "a childless community under s1", authz_unit_retire, ADMIN_ONLY},
    {"unit_list", "the tree under c1", authz_unit_list, READERS},
    {"category_add", "a category under education", authz_category_add, ADMIN_ONLY},
    {"category_rename", "rename fire", authz_category_rename, ADMIN_ONLY},
    {"category_move", "move fire under education (its parent)", authz_category_move, ADMIN_ONLY},
    {"category_retire", "a category without children", authz_category_retire, ADMIN_ONLY},
    {"category_list", "all categories", authz_category_list, EVERYONE},
    /* the report section of a category: an admin or a district-level office */
    {"category_section", "fire in the education section", authz_category_section,
     {DENIED, DENIED, OK, DENIED, OK, UNAUTH}},
    {"indicator_add", "a monthly indicator", authz_indicator_add, ADMIN_ONLY},
    {"indicator_update", "rename briefs", authz_indicator_update, ADMIN_ONLY},
    {"indicator_list", "all indicators", authz_indicator_list, EVERYONE},
    {"indicator_retire", "an indicator without values", authz_indicator_retire, ADMIN_ONLY},
    /* rules, locks, record versions, corrections (docs/period.md) */
    {"quota_set", "a briefs quota of c1", authz_quota_set, MANAGERS},
    {"quota_list", "quotas of c1", authz_quota_list, READERS},
    {"deadline_set", "a briefs deadline of c1", authz_deadline_set, MANAGERS},
    {"deadline_list", "deadlines of c1", authz_deadline_list, READERS},
    {"period_lock", "lock a month of c1", authz_period_lock, MANAGERS},
    {"period_unlock", "unlock a locked month of c1", authz_period_unlock, MANAGERS},
    {"period_lock_list", "locks of c1", authz_period_lock_list, READERS},
    {"nil_report", "nothing to report, own unit", authz_nil_report, ANY_COMMUNITY},
    {"record_amend", "amend a record of c1", authz_record_amend, OWN_COMMUNITY},
    {"record_retract", "retract a record of c1", authz_record_retract, OWN_COMMUNITY},
    {"record_list", "own records of 2020", authz_record_list, ANY_COMMUNITY},
    {"correction_file", "correct a locked record of c1", authz_correction_file, OWN_COMMUNITY},
    {"correction_list", "corrections of c1", authz_correction_list, READERS},
    {"correction_approve", "a pending correction of c1", authz_correction_approve, MANAGERS},
    {"correction_reject", "a pending correction of c1", authz_correction_reject, MANAGERS},
    /* what the district pulls (docs/district.md) */
    {"export", "2020 export of c1 (every chunk)", authz_export, READERS},
    {"pull", "changes of c1", authz_pull, READERS},
    /* operations (docs/ops.md) */
    {"stats", "the server's counters", build_stats, ADMIN_ONLY},
};
#define MATRIX_ROWS (sizeof matrix / sizeof matrix[0])

static harness H;
static harness_cred HC;
static const char *creds[P_COUNT];

/* The revoked column: a c1 certificate got by enrollment, which said Hello
 * once and was then revoked. */
static int revoke_column(void)
{
    static char dir[HARNESS_PATH + 64];
    char fp[CERT_FINGERPRINT_HEX], *csr = NULL, err[256];
    SSL *admin = harness_connect_hello(&H, creds[P_ADMIN]), *s = NULL;
    char *code = admin ? harness_cred_code(admin, "c1", "community", 3600) : NULL;
    SSL *e = code ? harness_cred_enroll_hello(&H, &HC) : NULL;
    EVP_PKEY *key = NULL;
    Huizong__Response *r = NULL;
    Huizong__Request *req = build_cert_revoke(P_ADMIN);
    int rc = -1;

    if (e && cert_csr_make("c1", "community", &key, &csr, err, sizeof err) == 0 &&
        (r = harness_cred_enroll(e, code, csr)) && r->status == OK &&
        harness_cred_save(&H, "authz-revoked", key, r->enroll->certificate_pem, r->enroll->ca_pem)) {
        snprintf(dir, sizeof dir, "%s/authz-revoked", H.dir);
        creds[P_REVOKED] = dir;
        snprintf(fp, sizeof fp, "%s", r->enroll->fingerprint);
        s = harness_connect_hello(&H, dir);
        harness_response_free(r);
        rec_set(&req->cert_revoke->fingerprint, fp);
        r = s ? harness_call(admin, req) : NULL;
        rc = r && r->status == OK ? 0 : -1;
    }
    harness_response_free(r);
    rec_free(req);
    EVP_PKEY_free(key);
    free(csr);
    free(code);
    harness_close(e);
    harness_close(s);
    harness_close(admin);
    return rc;
}

static int group_setup(void **state)
{
    (void)state;
    if (harness_cred_start(&H, &HC) != 0 || harness_setup_tree(&H) != 0)
        return -1;
    for (int p = 0; p < P_REVOKED; p++)
        if (!(creds[p] = harness_issue_creds(&H, principals[p].unit, principals[p].role)))
            return -1;
    return authz_fixture_setup(&H, creds[P_ADMIN], creds[P_OWN]) == 0 ? revoke_column() : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return harness_cred_stop(&H, &HC) == 0 ? 0 : -1;
}

/* The status one principal gets for one row, on a connection of its own. */
static Huizong__Status cell(size_t row, int who)
{
    SSL *s = harness_connect(&H, creds[who]);
    assert_non_null(s);
    Huizong__Response *r = harness_hello(s, 1, HZ_PROTOCOL_VERSION);
    assert_non_null(r);
    Huizong__Status st = r->status;
    harness_response_free(r);
    Huizong__Request *req = st == OK ? matrix[row].build(who) : NULL;
    if (req) {
        int got = authz_call_status(s, req);
        assert_true(got >= 0);
        st = (Huizong__Status)got;
        rec_free(req);
    }
    harness_close(s);
    return st;
}

static void test_matrix(void **state)
{
    int failures = 0;

    (void)state;
    for (size_t row = 0; row < MATRIX_ROWS; row++)
        for (int p = 0; p < P_COUNT; p++) {
            Huizong__Status got = cell(row, p);
            if (got != matrix[row].want[p]) {
                fprintf(stderr, "%s as %s: got %s, want %s\n", matrix[row].request,
                        principals[p].title, wire_status_name(got),
                        wire_status_name(matrix[row].want[p]));
                failures++;
            }
        }
    assert_int_equal(failures, 0);
}

/* The Markdown table docs/cred.md holds between its authz-matrix markers. */
static void markdown(char *out, size_t cap)
{
    size_t o = (size_t)snprintf(out, cap, "| request | asks for |");
    for (int p = 0; p < P_COUNT; p++)
        o += (size_t)snprintf(out + o, cap - o, " %s |", principals[p].title);
    o += (size_t)snprintf(out + o, cap - o, "\n|---|---|");
    for (int p = 0; p < P_COUNT; p++)
        o += (size_t)snprintf(out + o, cap - o, "---|");
    for (size_t row = 0; row < MATRIX_ROWS; row++) {
        o += (size_t)snprintf(out + o, cap - o, "\n| %s | %s |", matrix[row].request, matrix[row].note);
        for (int p = 0; p < P_COUNT; p++)
            o += (size_t)snprintf(out + o, cap - o, " %s |", wire_status_name(matrix[row].want[p]));
    }
    snprintf(out + o, cap - o, "\n");
}

static void test_docs_print_the_matrix(void **state)
{
    static char want[32768], doc[65536];
    char path[1024];
    const char *src = __FILE__, *tail = strstr(src, "tests/integration/");

    (void)state;
    assert_non_null(tail);
    snprintf(path, sizeof path, "%.*sdocs/cred.md", (int)(tail - src), src);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    markdown(want, sizeof want);
    const char *begin = strstr(doc, "<!-- authz-matrix -->\n");
    const char *end = begin ? strstr(begin, "<!-- /authz-matrix -->") : NULL;
    assert_non_null(end);
    begin += strlen("<!-- authz-matrix -->\n");
    if ((size_t)(end - begin) != strlen(want) || strncmp(begin, want, strlen(want)) != 0)
    {
        fprintf(stderr, "%s: the matrix differs from test_cred_authz.c; it should read:\n%s", path, want);
        fail();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docs_print_the_matrix),
        cmocka_unit_test(test_matrix),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
