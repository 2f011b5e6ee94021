/* huizong export: the records of a subtree, streamed. The server sends
 * pages; each is written out as it arrives and freed, so memory stays flat
 * however many records there are. Writers: export_write.c. */
#include <string.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "cmd/cmd_district.h"
#include "net/session.h"
#include "render/export.h"
#include "i18n.h"

void cmd_export_help(FILE *f)
{
    fputs(_("usage: huizong [GLOBAL OPTIONS] export (--year YYYY | --from YYYY-MM --to YYYY-MM)\n"
          "                [--unit CODE] --format csv|json|dhis2|adx [--out FILE]\n"
          "\n"
          "The records of a unit's subtree for other systems; never a beneficiary.\n"
          "  csv    one row per record (activities, indicator values, honours)\n"
          "  json   {\"records\": [...]}, keys as ExportRecord in proto/huizong.proto\n"
          "  dhis2  indicator values as a DHIS2 dataValueSet (period 202006, 2020Q2, 2020)\n"
          "  adx    indicator values as an IHE ADX message (urn:ihe:qrph:adx:2015)\n"),
          f);
}

/* The first chunk came with net_call; the rest follow with the same id. */
static int export_stream(net_conn *conn, Huizong__Request *req, export_writer *w)
{
    Huizong__Response *resp = NULL;
    char err[1024];
    int rc = session_call(conn, req, HUIZONG__RESPONSE__BODY_EXPORT, NULL, &resp);

    while (rc == HZ_EXIT_OK) {
        int last = resp->export->last;
        if (export_write_page(w, resp->export) < 0) {
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

static int export_run(const cconf *cfg, const district_args *a, FILE *out)
{
    Huizong__ExportRequest er = HUIZONG__EXPORT_REQUEST__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    export_writer w;
    net_conn *conn;
    int rc;

    if (export_writer_init(&w, a->format, out) < 0) {
        diag_error(_("export: --format %s: want csv, json, dhis2 or adx"), a->format);
        return HZ_EXIT_USAGE;
    }
    if ((rc = session_open(cfg, &conn)) != HZ_EXIT_OK)
        return rc;
    er.year = a->year;
    er.from = (char *)(a->from ? a->from : "");
    er.to = (char *)(a->to ? a->to : "");
    er.unit_code = (char *)(a->unit ? a->unit : "");
    er.indicators_only = w.indicators_only;
    er.page_size = a->page_size;
    req.body_case = HUIZONG__REQUEST__BODY_EXPORT;
    req.export = &er;
    export_write_begin(&w);
    rc = export_stream(conn, &req, &w);
    net_close(conn);
    if (rc == HZ_EXIT_OK)
        export_write_end(&w);
    return rc;
}

int cmd_export(cli_globals *g, int argc, char **argv)
{
    static const char *const formats[] = {"csv", "json", "dhis2", "adx", NULL};
    district_args a = {.cmd = "export"};
    cconf cfg;
    FILE *out;
    int rc;

    if ((rc = district_parse(g, argc, argv, &a, formats)) != HZ_EXIT_OK)
        return rc;
    if ((rc = session_config(g, &cfg)) != HZ_EXIT_OK)
        return rc;
    if ((out = district_open_out(&a)) == NULL) {
        cconf_free(&cfg);
        return HZ_EXIT_USAGE;
    }
    rc = export_run(&cfg, &a, out);
    cconf_free(&cfg);
    return district_close_out(&a, out, rc);
}
