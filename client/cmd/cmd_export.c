/* huizong export: the records of a subtree, streamed. The server sends
 * pages; each is written out as it arrives and freed, so memory stays flat
 * however many records there are. Writers: export_write.c. */
#include <string.h>

#include "cli/diag.h"
#include "i18n.h"
#include "cmd/cmd.h"
#include "cmd/cmd_district.h"
#include "net/session.h"
#include "render/export.h"
#include "i18n.h"
#include "render/sheet_export.h"

void cmd_export_help(FILE *f)
{
    fputs(_("usage: huizong [GLOBAL OPTIONS] export (--year YYYY | --from YYYY-MM --to YYYY-MM)\n"
          "                [--unit CODE] --format csv|xlsx|json|dhis2|adx [--out FILE]\n"
          "                [--headers zh|en] [--encoding utf-8|gb18030] [--no-bom]\n"
          "                [--section activity|indicator|honor]\n"
          "\n"
          "The records of a unit's subtree for people and other systems; never a\n"
          "beneficiary.\n"
          "  csv    one row per record of every kind (类型 记录编号 版本 社区代码 ...;\n"
          "         --headers en: kind, record_id, version, community, community_name,\n"
          "         date, category, category_name, title, location, participants,\n"
          "         participants_at_least, partners, indicator, indicator_name, period,\n"
          "         period_type, value, unit, level, issuer, recipient, change_seq,\n"
          "         participants_unknown; a count not reported is an empty cell), or\n"
          "         --section activity|indicator|honor: that kind's table, its own\n"
          "         columns. UTF-8 with a byte-order mark, so that Excel opens it by\n"
          "         double-click (--encoding gb18030: GB18030; --no-bom: no mark);\n"
          "         --headers en --no-bom is the CSV other systems read.\n"
          "  xlsx   one workbook (--out FILE.xlsx): sheets 活动, 指标, 荣誉, typed cells,\n"
          "         the header row frozen\n"
          "  json   {\"records\": [...]}, keys as ExportRecord in proto/huizong.proto\n"
          "  dhis2  indicator values as a DHIS2 dataValueSet (period 202006, 2020Q2, 2020)\n"
          "  adx    indicator values as an IHE ADX message (urn:ihe:qrph:adx:2015)\n"),
          f);
}

typedef int (*export_page_fn)(void *ctx, const Huizong__ExportChunk *c);

/* The first chunk came with net_call; the rest follow with the same id. */
static int export_stream(net_conn *conn, Huizong__Request *req, export_page_fn page, void *ctx)
{
    Huizong__Response *resp = NULL;
    char err[1024];
    int rc = session_call(conn, req, HUIZONG__RESPONSE__BODY_EXPORT, NULL, &resp);

    while (rc == HZ_EXIT_OK) {
        int last = resp->export->last;
        if (page(ctx, resp->export) < 0) {
            diag_error(_("export: cannot write the output"));
            rc = HZ_EXIT_INTERNAL;
        }
        huizong__response__free_unpacked(resp, NULL);
        resp = NULL;
        if (last || rc != HZ_EXIT_OK)
            break;
        if ((rc = net_next(conn, req->request_id, &resp, err, sizeof err)) != HZ_EXIT_OK) {
            diag_error("%s", err);
            break;
        }
        if ((rc = diag_response(resp, NULL)) == HZ_EXIT_OK &&
            resp->body_case != HUIZONG__RESPONSE__BODY_EXPORT) {
            diag_error(_("server answered OK without an export chunk (protocol mismatch?)"));
            rc = HZ_EXIT_INTERNAL;
        }
        if (rc != HZ_EXIT_OK)
            huizong__response__free_unpacked(resp, NULL);
    }
    return rc;
}

static int export_page_writer(void *ctx, const Huizong__ExportChunk *c)
{
    return export_write_page(ctx, c);
}

static int export_page_sheet(void *ctx, const Huizong__ExportChunk *c)
{
    return sheet_export_page(ctx, c);
}

static int export_request(const cconf *cfg, const district_args *a, bool indicators_only,
                          export_page_fn page, void *ctx)
{
    Huizong__ExportRequest er = HUIZONG__EXPORT_REQUEST__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    net_conn *conn;
    int rc;

    if ((rc = session_open(cfg, &conn)) != HZ_EXIT_OK)
        return rc;
    er.year = a->year;
    er.from = (char *)(a->from ? a->from : "");
    er.to = (char *)(a->to ? a->to : "");
    er.unit_code = (char *)(a->unit ? a->unit : "");
    er.indicators_only = indicators_only;
    er.page_size = a->page_size;
    req.body_case = HUIZONG__REQUEST__BODY_EXPORT;
    req.export = &er;
    rc = export_stream(conn, &req, page, ctx);
    net_close(conn);
    return rc;
}

static int export_run(const cconf *cfg, const district_args *a, FILE *out)
{
    export_writer w;
    int rc;

    if (export_writer_init(&w, a->format, out) < 0) {
        diag_error("export: --format %s: want csv, xlsx, json, dhis2 or adx", a->format);
        return HZ_EXIT_USAGE;
    }
    export_write_begin(&w);
    rc = export_request(cfg, a, w.indicators_only, export_page_writer, &w);
    if (rc == HZ_EXIT_OK)
        export_write_end(&w);
    return rc;
}

/* People's tables: CSV files or a workbook, one table per kind. */
static int export_run_sheets(const cconf *cfg, const district_args *a, const sheet_style *st)
{
    char err[1200];
    sheet_export e;
    sheet_book *b = sheet_open(st, a->out, true, err, sizeof err);
    int rc;

    if (b == NULL) {
        diag_error("export: %s", err);
        return HZ_EXIT_USAGE;
    }
    rc = sheet_export_begin(&e, b, a->sheet.section, !st->xlsx) < 0
             ? HZ_EXIT_INTERNAL
             : export_request(cfg, a, false, export_page_sheet, &e);
    if (sheet_close(b, stderr, err, sizeof err) < 0 && rc == HZ_EXIT_OK) {
        diag_error("export: %s", err);
        rc = HZ_EXIT_INTERNAL;
    }
    return rc;
}

/* Which writer: tables for xlsx and csv, else export_writer. Returns
 * HZ_EXIT_OK with *sheets set, or a usage error (reported). */
static int export_pick(const district_args *a, sheet_style *st, bool *sheets)
{
    bool xlsx = strcmp(a->format, "xlsx") == 0, csv = strcmp(a->format, "csv") == 0;

    *sheets = xlsx || csv;
    if (!xlsx && !csv && sheet_args_given(&a->sheet)) {
        diag_error(_("export: --headers, --encoding, --no-bom and --section are for --format "
                     "csv or xlsx"));
        return HZ_EXIT_USAGE;
    }
    if (!*sheets)
        return HZ_EXIT_OK;
    return sheet_args_style("export", &a->sheet, xlsx, sheet_export_section_known,
                            "activity, indicator, honor", st);
}

int cmd_export(cli_globals *g, int argc, char **argv)
{
    static const char *const formats[] = {"csv", "json", "dhis2", "adx", "xlsx", NULL};
    district_args a = {.cmd = "export"};
    cconf cfg;
    FILE *out;
    int rc;

    sheet_style st;
    bool sheets;

    if ((rc = district_parse(g, argc, argv, &a, formats)) != HZ_EXIT_OK ||
        (rc = export_pick(&a, &st, &sheets)) != HZ_EXIT_OK)
        return rc;
    if ((rc = session_config(g, &cfg)) != HZ_EXIT_OK)
        return rc;
    if (sheets) {
        rc = export_run_sheets(&cfg, &a, &st);
        cconf_free(&cfg);
        return rc;
    }
    if ((out = district_open_out(&a)) == NULL) {
        cconf_free(&cfg);
        return HZ_EXIT_USAGE;
    }
    rc = export_run(&cfg, &a, out);
    cconf_free(&cfg);
    return district_close_out(&a, out, rc);
}
