/* huizong submit FILE.json: validate locally, then send in batches the
 * server accepts, each atomic. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "cert.h"
#include "cmd.h"
#include "diag.h"
#include "input.h"
#include "kinds.h"
#include "session.h"
#include "validate.h"
#include "wire.h"

void cmd_submit_usage(FILE *f)
{
    fputs("usage: huizong [GLOBAL OPTIONS] submit FILE.json\n"
          "\n"
          "Sends the records of FILE.json: a JSON object\n"
          "  {\"activities\": [...], \"indicator_values\": [...], \"honors\": [...]}\n"
          "(each array optional) whose records use the field names of Activity,\n"
          "IndicatorValue and Honor in proto/huizong.proto. Unknown keys are errors.\n"
          "A record without unit_code gets the unit of the client certificate; one\n"
          "without record_id gets an id derived from its content, so sending the same\n"
          "file again is counted as duplicates, not new records.\n"
          "Every record is checked before anything is sent (exit 2 lists every error).\n"
          "Batches larger than the server's limit are sent as several atomic batches.\n",
          f);
}

/* The unit named by the client certificate, for records that leave it out.
 * Empty when the certificate cannot be read: the connection will say why. */
static void submit_cert_unit(const char *path, char unit[VALIDATE_MAX_SHORT + 1])
{
    char role[32];
    FILE *f = fopen(path, "r");
    X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;

    unit[0] = '\0';
    if (x == NULL || cert_identity(x, unit, VALIDATE_MAX_SHORT + 1, role, sizeof role) < 0)
        unit[0] = '\0';
    X509_free(x);
    if (f)
        fclose(f);
    ERR_clear_error();
}

static int submit_load(const char *path, const char *unit, Huizong__SubmitBatch **b)
{
    char err[1024];
    FILE *f = fopen(path, "r");
    int rc;

    if (f == NULL) {
        diag_error("%s: %s", path, strerror(errno));
        return HZ_EXIT_INPUT;
    }
    rc = input_parse_file(f, path, *unit ? unit : NULL, b, err, sizeof err);
    fclose(f);
    if (rc < 0) {
        diag_error("%s", err);
        return HZ_EXIT_INPUT;
    }
    if (input_record_count(*b) == 0) {
        diag_error("%s: no records (want activities, indicator_values or honors)", path);
        return HZ_EXIT_INPUT;
    }
    return HZ_EXIT_OK;
}

static int submit_check(const char *path, const Huizong__SubmitBatch *b)
{
    validate_errors errs = {0};
    size_t n = validate_batch(b, 0, &errs);

    if (n == 1 && errs.count == 1) {
        const validate_error *e = &errs.items[0];
        const char *array = kind_array_name(e->kind);
        if (array)
            diag_error("%s: %s[%u].%s: %s", path, array, (unsigned)e->index, e->field, e->reason);
        else
            diag_error("%s: %s: %s", path, e->field, e->reason);
    } else if (n > 0) {
        diag_error("%s: %zu invalid fields, nothing sent", path, n);
        for (size_t i = 0; i < errs.count; i++)
            diag_field(errs.items[i].kind, errs.items[i].index, errs.items[i].field,
                       errs.items[i].reason);
    }
    validate_errors_free(&errs);
    return n ? HZ_EXIT_INPUT : HZ_EXIT_OK;
}

typedef struct {
    uint64_t accepted, duplicates;
    size_t batches_done;
    char first_id[64], last_id[64]; /* submission ids of the first and last batch */
} submit_totals;

/* Records [start, start + count) of the batch, counted across kinds in the
 * order activities, indicator values, honours. Borrows b's records. */
static void submit_slice(const Huizong__SubmitBatch *b, size_t start, size_t count,
                         Huizong__SubmitBatch *sub, uint32_t first[3])
{
    size_t base[3] = {0, b->n_activities, b->n_activities + b->n_indicator_values};
    size_t n[3] = {b->n_activities, b->n_indicator_values, b->n_honors};
    size_t got[3], end = start + count;

    for (int k = 0; k < 3; k++) {
        size_t lo = start > base[k] ? start : base[k];
        size_t hi = end < base[k] + n[k] ? end : base[k] + n[k];

        first[k] = hi > lo ? (uint32_t)(lo - base[k]) : 0;
        got[k] = hi > lo ? hi - lo : 0;
    }
    huizong__submit_batch__init(sub);
    sub->n_activities = got[0];
    sub->activities = got[0] ? b->activities + first[0] : NULL;
    sub->n_indicator_values = got[1];
    sub->indicator_values = got[1] ? b->indicator_values + first[1] : NULL;
    sub->n_honors = got[2];
    sub->honors = got[2] ? b->honors + first[2] : NULL;
}

static int submit_one(net_conn *conn, Huizong__SubmitBatch *sub, const uint32_t first[3],
                      submit_totals *t)
{
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Response *resp;
    int rc;

    req.body_case = HUIZONG__REQUEST__BODY_SUBMIT;
    req.submit = sub;
    rc = session_call(conn, &req, HUIZONG__RESPONSE__BODY_SUBMIT, first, &resp);
    if (rc != HZ_EXIT_OK)
        return rc;
    t->accepted += resp->submit->accepted;
    t->duplicates += resp->submit->duplicates;
    t->batches_done++;
    const char *id = resp->submit->submission_id ? resp->submit->submission_id : "";
    if (t->batches_done == 1)
        snprintf(t->first_id, sizeof t->first_id, "%s", id);
    snprintf(t->last_id, sizeof t->last_id, "%s", id);
    huizong__response__free_unpacked(resp, NULL);
    return HZ_EXIT_OK;
}

static void submit_report(const char *path, const submit_totals *t)
{
    printf("submitted %s: %llu accepted, %llu duplicates", path,
           (unsigned long long)t->accepted, (unsigned long long)t->duplicates);
    if (t->batches_done > 1)
        printf(" in %zu batches", t->batches_done);
    if (t->batches_done == 1 && t->first_id[0])
        printf(" (submission %s)", t->first_id);
    else if (t->first_id[0] && t->last_id[0])
        printf(" (submissions %s%s%s)", t->first_id, t->batches_done > 2 ? " … " : ", ",
               t->last_id);
    putchar('\n');
}

static int submit_send(const cconf *cfg, const char *path, const Huizong__SubmitBatch *b)
{
    net_conn *conn;
    submit_totals t = {0};
    size_t total = input_record_count(b), max;
    int rc = session_open(cfg, &conn);

    if (rc != HZ_EXIT_OK)
        return rc;
    const Huizong__Limits *lim = net_hello(conn)->limits;
    max = lim && lim->max_batch_records ? lim->max_batch_records : HZ_DEFAULT_MAX_BATCH;
    for (size_t start = 0; start < total && rc == HZ_EXIT_OK; start += max) {
        Huizong__SubmitBatch sub;
        uint32_t first[3];

        submit_slice(b, start, total - start < max ? total - start : max, &sub, first);
        rc = submit_one(conn, &sub, first, &t);
    }
    net_close(conn);
    if (rc == HZ_EXIT_OK)
        submit_report(path, &t);
    else if (t.batches_done > 0)
        diag_error("%s: sent in batches of at most %zu records (server limit): batch %zu of %zu "
                   "failed, the %zu before it were committed (%llu accepted); sending the file "
                   "again counts those as duplicates", path, max, t.batches_done + 1,
                   (total + max - 1) / max, t.batches_done, (unsigned long long)t.accepted);
    return rc;
}

int cmd_submit(cli_globals *g, int argc, char **argv)
{
    const char *path = NULL;
    char unit[VALIDATE_MAX_SHORT + 1];
    Huizong__SubmitBatch *b = NULL;
    cconf cfg;
    int rc;

    if (cmd_wants_help(argc, argv)) {
        cmd_submit_usage(stdout);
        return HZ_EXIT_OK;
    }
    for (int i = 0; i < argc; i++) {
        int r = cli_global_option(g, argc, argv, &i);
        if (r < 0)
            return HZ_EXIT_USAGE;
        if (r == 0 && (path || argv[i][0] == '-'))
            return cli_bad_arg("submit", argv[i]);
        if (r == 0)
            path = argv[i];
    }
    if (path == NULL) {
        diag_error("submit: missing FILE.json (see huizong submit --help)");
        return HZ_EXIT_USAGE;
    }
    if ((rc = session_config(g, &cfg)) != HZ_EXIT_OK)
        return rc;
    submit_cert_unit(cfg.cert, unit);
    rc = submit_load(path, unit, &b);
    if (rc == HZ_EXIT_OK)
        rc = submit_check(path, b);
    if (rc == HZ_EXIT_OK)
        rc = submit_send(&cfg, path, b);
    input_free(b);
    cconf_free(&cfg);
    return rc;
}
