/* huizong report: two summary calls on one connection (by community and
 * category with each category's three largest activities; by month), and the
 * quota compliance when the server has it, turned into the year-end report.
 * The responses stay small however many activities the district has. */
#include <string.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "cmd/cmd_district.h"
#include "net/session.h"
#include "net/taxonomy_cache.h"
#include "report/report.h"
#include "i18n.h"

/* Highlights per section; the largest of each category are enough. */
#define REPORT_TOP 3

/* Quota compliance for the chart, when the server has quota data; any
 * refusal (e.g. FAILED_PRECONDITION: no quota module) just leaves it out. */
static Huizong__Response *report_fetch_quotas(net_conn *conn, const district_args *a)
{
    Huizong__ComplianceRequest cr;
    Huizong__Request req;
    Huizong__Response *resp = NULL;
    char err[256];

    district_compliance_request(a, &cr, &req);
    if (net_call(conn, &req, &resp, err, sizeof err) != HZ_EXIT_OK)
        return NULL;
    if (resp->status != HUIZONG__STATUS__OK ||
        resp->body_case != HUIZONG__RESPONSE__BODY_COMPLIANCE) {
        huizong__response__free_unpacked(resp, NULL);
        return NULL;
    }
    return resp;
}

static int report_summary(net_conn *conn, const district_args *a, int by_month,
                          Huizong__Response **resp)
{
    static Huizong__GroupBy by[] = {HUIZONG__GROUP_BY__GROUP_BY_COMMUNITY,
                                    HUIZONG__GROUP_BY__GROUP_BY_CATEGORY};
    static Huizong__GroupBy month[] = {HUIZONG__GROUP_BY__GROUP_BY_MONTH};
    Huizong__SummaryRequest sr = HUIZONG__SUMMARY_REQUEST__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;

    sr.year = a->year;
    sr.from = (char *)(a->from ? a->from : "");
    sr.to = (char *)(a->to ? a->to : "");
    sr.unit_code = (char *)(a->unit ? a->unit : "");
    sr.group_by = by_month ? month : by;
    sr.n_group_by = by_month ? 1 : 2;
    sr.list_activities = !by_month;
    sr.top_activities = REPORT_TOP;
    req.body_case = HUIZONG__REQUEST__BODY_SUMMARY;
    req.summary = &sr;
    return session_call(conn, &req, HUIZONG__RESPONSE__BODY_SUMMARY, NULL, resp);
}

/* resp[0]: by community and category; resp[1]: by month; extra[0]: quotas,
 * extra[1]: the scope's units (each NULL when the server has none); *tax:
 * the category tree, NULL when refused. */
static int report_fetch(const cconf *cfg, const district_args *a, Huizong__Response *resp[2],
                        Huizong__Response *extra[2], json_t **tax)
{
    char err[256];
    net_conn *conn;
    int rc = session_open(cfg, &conn);

    if (rc != HZ_EXIT_OK)
        return rc;
    rc = report_summary(conn, a, 0, &resp[0]);
    if (rc == HZ_EXIT_OK && (rc = report_summary(conn, a, 1, &resp[1])) != HZ_EXIT_OK)
        huizong__response__free_unpacked(resp[0], NULL);
    if (rc == HZ_EXIT_OK) {
        extra[0] = report_fetch_quotas(conn, a);
        /* The scope's units, so that a community with no record is listed too. */
        extra[1] = session_unit_list(conn, resp[0]->summary->unit_code);
        *tax = taxonomy_fetch(conn, err, sizeof err);
    }
    net_close(conn);
    return rc;
}

static int report_write(FILE *f, const char *format, const json_t *rep)
{
    if (strcmp(format, "html") == 0)
        return report_write_html(f, rep);
    if (strcmp(format, "docx") == 0)
        return report_write_docx(f, rep);
    if (strcmp(format, "json") == 0) {
        if (json_dumpf(rep, f, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) < 0)
            return -1;
        fputc('\n', f);
        return 0;
    }
    return report_write_md(f, rep);
}

void cmd_report_help(FILE *f)
{
    fputs(_("usage: huizong [GLOBAL OPTIONS] report (--year YYYY | --from YYYY-MM --to YYYY-MM)\n"
          "                [--unit CODE] [--format md|html|docx|json] [--out FILE]\n"
          "\n"
          "The consolidated work report of a unit's subtree (default: the certificate's\n"
          "unit), in Chinese, in the sections of the communities' own year-end reports:\n"
          "totals, a per-community table, highlights (largest events), honours.\n"
          "  --format md    Markdown (default)\n"
          "           html  one self-contained file, charts as inline SVG, no script\n"
          "           docx  a Word document in the layout of GB/T 9704-2012 (A4, 小标宋\n"
          "                 title, 仿宋 body, 黑体/楷体 headings, page numbers), tables\n"
          "                 with 合计 rows, charts, and 存在问题 / 下一步打算 to write\n"
          "           json  the report's data (docs/district.md)\n"),
          f);
}

int cmd_report(cli_globals *g, int argc, char **argv)
{
    static const char *const formats[] = {"md", "html", "json", "docx", NULL};
    district_args a = {.cmd = "report"};
    Huizong__Response *resp[2] = {NULL, NULL}, *extra[2] = {NULL, NULL};
    cconf cfg;
    FILE *out;
    int rc;

    if ((rc = district_parse(g, argc, argv, &a, formats)) != HZ_EXIT_OK)
        return rc;
    if ((rc = session_config(g, &cfg)) != HZ_EXIT_OK)
        return rc;
    json_t *tax = NULL;
    rc = report_fetch(&cfg, &a, resp, extra, &tax);
    cconf_free(&cfg);
    if (rc != HZ_EXIT_OK)
        return rc;
    json_t *rep = report_build_tree(resp[0]->summary, resp[1]->summary, tax);
    json_decref(tax);
    huizong__response__free_unpacked(resp[0], NULL);
    huizong__response__free_unpacked(resp[1], NULL);
    if (rep && extra[1])
        report_add_units(rep, extra[1]->unit_list);
    if (rep && extra[0])
        report_add_quotas(rep, extra[0]->compliance);
    for (int i = 0; i < 2; i++)
        if (extra[i])
            huizong__response__free_unpacked(extra[i], NULL);
    if (!rep) {
        diag_error(_("report: out of memory"));
        return HZ_EXIT_INTERNAL;
    }
    if ((out = district_open_out(&a)) == NULL) {
        json_decref(rep);
        return HZ_EXIT_USAGE;
    }
    rc = report_write(out, a.format, rep) < 0 ? HZ_EXIT_INTERNAL : HZ_EXIT_OK;
    json_decref(rep);
    return district_close_out(&a, out, rc);
}
