/* huizong completeness and huizong quotas: one ComplianceRequest, two views.
 * completeness: per community, how many expected reports came on time, late,
 * as nil reports, or not at all. quotas: per community and indicator, the
 * periods that met the quota and those that missed it. */
#include <inttypes.h>
#include <string.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "cmd/cmd_district.h"
#include "net/session.h"
#include "pbjson.h"
#include "render/render.h"
#include "render/table.h"
#include "i18n.h"

static void compliance_usage(FILE *f, const char *cmd)
{
    fprintf(f, _("usage: huizong [GLOBAL OPTIONS] %s (--year YYYY | --period YYYY-MM |\n"
               "                --from YYYY-MM --to YYYY-MM)\n"
               "                [--unit CODE] [--format table|csv|json] [--out FILE]\n\n"),
            cmd);
    if (strcmp(cmd, "completeness") == 0)
        fputs(_("Per community: reports expected (a quota is in effect), on time, late, nil\n"
              "reports (nothing to report, declared), missing, and the share received.\n"),
              f);
    else
        fputs(_("Per community and indicator: periods whose value met the quota, periods\n"
              "that missed it, and which.\n"),
              f);
}

/* Rows come ordered by community, indicator, period: runs are contiguous. */
static size_t run_end(const Huizong__ComplianceResult *r, size_t i, int by_indicator)
{
    size_t j = i;
    while (j < r->n_rows && strcmp(r->rows[j]->community, r->rows[i]->community) == 0 &&
           (!by_indicator || strcmp(r->rows[j]->indicator, r->rows[i]->indicator) == 0))
        j++;
    return j;
}

static void emit(table *t, FILE *f, int csv, const char *const *cells, size_t n)
{
    if (!csv) {
        table_row(t, cells);
        return;
    }
    for (size_t k = 0; k < n; k++) {
        if (k)
            fputc(',', f);
        render_csv_field(f, cells[k]);
    }
    fputs("\r\n", f);
}

static int completeness_print(FILE *f, const Huizong__ComplianceResult *r, int csv)
{
    static const char *const head[] = {"社区", "应报", "按时", "迟报", "零报告", "未报", "到报率"};
    static const char *const csv_head[] = {"community", "expected", "on_time", "late",
                                           "nil", "missing", "received_pct"};
    table t;
    char n[6][24];

    table_init(&t);
    for (size_t k = 0; k < 7; k++)
        table_col(&t, head[k], k > 0);
    if (csv)
        emit(&t, f, 1, csv_head, 7);
    for (size_t i = 0, j; i < r->n_rows; i = j) {
        unsigned c[4] = {0};
        j = run_end(r, i, 0);
        for (size_t k = i; k < j; k++) {
            const char *s = r->rows[k]->state;
            c[strcmp(s, "on_time") == 0 ? 0 : strcmp(s, "late") == 0 ? 1 : strcmp(s, "nil") == 0 ? 2 : 3]++;
        }
        snprintf(n[0], sizeof n[0], "%zu", j - i);
        for (int k = 0; k < 4; k++)
            snprintf(n[k + 1], sizeof n[k + 1], "%u", c[k]);
        snprintf(n[5], sizeof n[5], "%.0f%%", 100.0 * (c[0] + c[1] + c[2]) / (double)(j - i));
        const char *cells[] = {csv ? r->rows[i]->community : r->rows[i]->community_name,
                               n[0], n[1], n[2], n[3], n[4], n[5]};
        emit(&t, f, csv, cells, 7);
    }
    int rc = csv ? 0 : table_print(f, &t);
    table_free(&t);
    return rc;
}

static int quotas_print(FILE *f, const Huizong__ComplianceResult *r, int csv)
{
    static const char *const head[] = {"社区", "指标", "期数", "达标", "未达标", "未达标期"};
    static const char *const csv_head[] = {"community", "indicator", "periods", "met",
                                           "missed", "missed_periods"};
    table t;
    char n[3][24], missed[1024];

    table_init(&t);
    for (size_t k = 0; k < 6; k++)
        table_col(&t, head[k], k >= 2 && k <= 4);
    if (csv)
        emit(&t, f, 1, csv_head, 6);
    for (size_t i = 0, j; i < r->n_rows; i = j) {
        unsigned met = 0;
        size_t len = 0;
        j = run_end(r, i, 1);
        missed[0] = '\0';
        for (size_t k = i; k < j; k++) {
            if (r->rows[k]->met) {
                met++;
                continue;
            }
            len += (size_t)snprintf(missed + len, len < sizeof missed ? sizeof missed - len : 0,
                                    "%s%s", len ? " " : "", r->rows[k]->period);
            if (len >= sizeof missed)
                len = sizeof missed - 1;
        }
        snprintf(n[0], sizeof n[0], "%zu", j - i);
        snprintf(n[1], sizeof n[1], "%u", met);
        snprintf(n[2], sizeof n[2], "%zu", (j - i) - met);
        const char *cells[] = {csv ? r->rows[i]->community : r->rows[i]->community_name,
                               csv ? r->rows[i]->indicator : r->rows[i]->indicator_name,
                               n[0], n[1], n[2], missed};
        emit(&t, f, csv, cells, 6);
    }
    int rc = csv ? 0 : table_print(f, &t);
    table_free(&t);
    return rc;
}

static int compliance_write(FILE *f, const district_args *a, const Huizong__ComplianceResult *r)
{
    int csv = strcmp(a->format, "csv") == 0;

    if (strcmp(a->format, "json") == 0) {
        json_t *j = pbjson_from_message(&r->base);
        int rc = j ? json_dumpf(j, f, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) : -1;
        json_decref(j);
        fputc('\n', f);
        return rc;
    }
    if (!csv)
        fprintf(f, "%s (%s) %s 至 %s\n", r->unit_name, r->unit_code, r->from, r->to);
    if (r->n_rows == 0 && !csv) {
        fputs("（无适用的配额）\n", f);
        return 0;
    }
    return strcmp(a->cmd, "completeness") == 0 ? completeness_print(f, r, csv)
                                                 : quotas_print(f, r, csv);
}

static int compliance_run(cli_globals *g, int argc, char **argv, const char *cmd)
{
    static const char *const formats[] = {"table", "csv", "json", NULL};
    district_args a = {.cmd = cmd};
    Huizong__ComplianceRequest cr;
    Huizong__Request req;
    Huizong__Response *resp = NULL;
    FILE *out;
    int rc;

    if ((rc = district_parse(g, argc, argv, &a, formats)) != HZ_EXIT_OK)
        return rc;
    district_compliance_request(&a, &cr, &req);
    if ((rc = session_read(g, &req, HUIZONG__RESPONSE__BODY_COMPLIANCE, &resp)) != HZ_EXIT_OK)
        return rc;
    if ((out = district_open_out(&a)) == NULL) {
        huizong__response__free_unpacked(resp, NULL);
        return HZ_EXIT_USAGE;
    }
    rc = compliance_write(out, &a, resp->compliance) < 0 ? HZ_EXIT_INTERNAL : HZ_EXIT_OK;
    huizong__response__free_unpacked(resp, NULL);
    return district_close_out(&a, out, rc);
}

int cmd_completeness(cli_globals *g, int argc, char **argv)
{
    return compliance_run(g, argc, argv, "completeness");
}

int cmd_quotas(cli_globals *g, int argc, char **argv)
{
    return compliance_run(g, argc, argv, "quotas");
}

void cmd_completeness_help(FILE *f)
{
    compliance_usage(f, "completeness");
}

void cmd_quotas_help(FILE *f)
{
    compliance_usage(f, "quotas");
}
