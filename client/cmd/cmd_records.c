/* The list, amend, retract, nil and correct commands: a community's own
 * records, their versions, and changes to them (docs/period.md). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "cmd/period_cli.h"
#include "import/import_map.h"
#include "net/session.h"
#include "render/render.h"
#include "render/table.h"
#include "validate.h"
#include "i18n.h"

void cmd_records_help(FILE *f)
{
    fputs(_("usage: huizong [GLOBAL OPTIONS] COMMAND ...  (a community certificate)\n"), f);
    cmd_usage_lines(f, "list", "correct");
    fputs(_("\n"
          "list     the community's own records of a year: activities by date, honours\n"
          "         by date, indicator values by period. --category keeps activities and\n"
          "         honours of that category. --versions shows every version, not only\n"
          "         the current one (STATE: current, old, retracted). --format json\n"
          "         prints each record's full content. --format csv writes the live\n"
          "         records of one kind (--type activity, the default, indicator or\n"
          "         honor) as a sheet in the columns `huizong import` reads, with each\n"
          "         record's id (记录编号) last (--bom: with a UTF-8 byte-order mark for\n"
          "         Excel). Edited and imported again, a changed row is an amend of its\n"
          "         record (docs/spool.md).\n"
          "amend    replaces the content of a held record with RECORD.json: a new version\n"
          "         is written, the old one stays readable. RECORD.json is one record\n"
          "         object (as in a submit file; add \"kind\": \"honor\" when the kind is\n"
          "         not clear from its keys) or a submit file holding exactly one record.\n"
          "         Sending the current content again changes nothing.\n"
          "retract  withdraws a record (it stays readable with --versions).\n"
          "nil      declares that there is nothing to report for PERIOD (2020-06,\n"
          "         2020-Q2, 2020) for the given indicators (default: every indicator\n"
          "         recorded per that kind of period). Not the same as missing.\n"
          "correct  asks the district to change a record in a locked period: the new\n"
          "         content (--file) or a retraction (--retract), with a reason. A\n"
          "         district principal above the community approves or rejects it\n"
          "         (huizong admin correction --help).\n"
          "A record in a locked period cannot be amended or retracted (FAILED_PRECONDITION\n"
          "naming the lock): file a correction instead.\n"),
          f);
}

/* ------------------------------------------------------------------ list */

static void records_cells(const Huizong__RecordItem *r, char *when, char *what, size_t len)
{
    json_t *c = json_loads(r->content, 0, NULL);
    const char *s;
    char num[64];

    when[0] = what[0] = '\0';
    if (strcmp(r->kind, "indicator_value") == 0) {
        json_t *v = json_object_get(c, "value");
        render_number(json_is_number(v) ? json_number_value(v) : 0, num, sizeof num);
        snprintf(when, len, "%s", (s = json_string_value(json_object_get(c, "period"))) ? s : "");
        snprintf(what, len, "%s = %s",
                 (s = json_string_value(json_object_get(c, "indicator"))) ? s : "", num);
    } else {
        snprintf(when, len, "%s", (s = json_string_value(json_object_get(c, "date"))) ? s : "");
        const char *cat = json_string_value(json_object_get(c, "category"));
        const char *title = json_string_value(json_object_get(c, "title"));
        snprintf(what, len, "%s%s%s", cat && *cat ? cat : "", cat && *cat ? " " : "",
                 title ? title : "");
    }
    json_decref(c);
}

static int records_print_table(const Huizong__RecordListResult *res)
{
    table t;
    char ver[16], when[512], what[512];
    int rc;

    table_init(&t);
    table_col(&t, _("RECORD_ID"), false);
    table_col(&t, _("KIND"), false);
    table_col(&t, _("VER"), true);
    table_col(&t, _("STATE"), false);
    table_col(&t, _("WHEN"), false);
    table_col(&t, _("WHAT"), false);
    for (size_t i = 0; i < res->n_records; i++) {
        const Huizong__RecordItem *r = res->records[i];
        snprintf(ver, sizeof ver, "%u", r->version);
        records_cells(r, when, what, sizeof when);
        const char *cells[6] = {r->record_id, r->kind, ver,
                                r->retracted_at[0] ? _("retracted") : r->current ? _("current") : _("old"),
                                when, what};
        table_row(&t, cells);
    }
    rc = table_print(stdout, &t);
    table_free(&t);
    printf(_("%zu record version(s)\n"), res->n_records);
    return rc == 0 && fflush(stdout) == 0 ? HZ_EXIT_OK : HZ_EXIT_INTERNAL;
}

/* The live records of one kind as a sheet the importer reads back. */
static int records_print_sheet(const Huizong__RecordListResult *res, import_kind k, bool bom)
{
    const char *kind = import_kind_record(k);

    if (bom)
        fputs("\xEF\xBB\xBF", stdout);
    import_sheet_header(stdout, k);
    for (size_t i = 0; i < res->n_records; i++) {
        const Huizong__RecordItem *r = res->records[i];
        json_t *c;

        if (!r->current || r->retracted_at[0] || strcmp(r->kind, kind) != 0 ||
            (c = json_loads(r->content, 0, NULL)) == NULL)
            continue;
        import_sheet_row(stdout, k, c);
        json_decref(c);
    }
    return fflush(stdout) == 0 ? HZ_EXIT_OK : HZ_EXIT_INTERNAL;
}

int cmd_list(cli_globals *g, int argc, char **argv)
{
    const char *year = NULL, *cat = NULL, *format = NULL, *type = NULL;
    bool versions = false, bom = false, json = false, csv;
    const cli_opt opts[] = {{"--year", &year, NULL}, {"--category", &cat, NULL},
                         {"--versions", NULL, &versions}, {"--format", &format, NULL},
                         {"--type", &type, NULL}, {"--bom", NULL, &bom}};
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__RecordList rl = HUIZONG__RECORD_LIST__INIT;
    Huizong__Response *resp;
    import_kind kind = IMPORT_ACTIVITY;
    int rc = cli_parse_opts("list", opts, 6, g, argc, argv, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (year == NULL)
        return cli_missing("list", "--year YYYY");
    int y;
    if (cli_year("list", year, &y) < 0)
        return HZ_EXIT_USAGE;
    rl.year = y;
    csv = format && strcmp(format, "csv") == 0;
    if (!csv && period_format("list", format, &json) < 0)
        return HZ_EXIT_USAGE;
    if (type && import_kind_parse(type, &kind) < 0) {
        diag_error("list: --type %s: want activity, indicator or honor", type);
        return HZ_EXIT_USAGE;
    }
    rl.category = (char *)(cat ? cat : "");
    rl.versions = versions;
    req.body_case = HUIZONG__REQUEST__BODY_RECORD_LIST;
    req.record_list = &rl;
    if ((rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_RECORD_LIST, &resp)) != HZ_EXIT_OK)
        return rc;
    static const char *const expand[] = {"content", NULL};
    rc = csv    ? records_print_sheet(resp->record_list, kind, bom)
         : json ? period_print_json(&resp->record_list->base, expand)
                : records_print_table(resp->record_list);
    huizong__response__free_unpacked(resp, NULL);
    return rc;
}

/* --------------------------------------------------------- amend, retract */

static int records_check_id(const char *cmd, const char *id)
{
    if (id == NULL)
        return cli_missing(cmd, "RECORD_ID");
    if (!validate_uuid(id)) {
        diag_error(_("%s: %s is not a record id (want a UUID, as `huizong list` shows)"), cmd, id);
        return HZ_EXIT_USAGE;
    }
    return HZ_EXIT_OK;
}

static void records_print_change(const char *verb, const Huizong__RecordChangeResult *r)
{
    if (r->changed)
        printf(_("record %s %s (version %u)\n"), r->record_id, verb, r->version);
    else
        printf(_("record %s unchanged (version %u): nothing to do\n"), r->record_id, r->version);
}

static void records_free_content(Huizong__Activity *a, Huizong__IndicatorValue *v, Huizong__Honor *h)
{
    if (a)
        huizong__activity__free_unpacked(a, NULL);
    if (v)
        huizong__indicator_value__free_unpacked(v, NULL);
    if (h)
        huizong__honor__free_unpacked(h, NULL);
}

int cmd_amend(cli_globals *g, int argc, char **argv)
{
    const char *id = NULL, *file = NULL;
    const cli_opt opts[] = {{"--file", &file, NULL}};
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__RecordAmend am = HUIZONG__RECORD_AMEND__INIT;
    Huizong__Response *resp;
    int rc = cli_parse_opts("amend", opts, 1, g, argc, argv, &id, 1);

    if (rc == HZ_EXIT_OK)
        rc = records_check_id("amend", id);
    if (rc == HZ_EXIT_OK && file == NULL)
        rc = cli_missing("amend", "--file RECORD.json");
    if (rc != HZ_EXIT_OK)
        return rc;
    if ((rc = period_load_record(file, id, &am.activity, &am.indicator_value, &am.honor)) != 0)
        return rc;
    am.record_id = (char *)id;
    req.body_case = HUIZONG__REQUEST__BODY_RECORD_AMEND;
    req.record_amend = &am;
    rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_RECORD_AMEND, &resp);
    records_free_content(am.activity, am.indicator_value, am.honor);
    if (rc != HZ_EXIT_OK)
        return rc;
    records_print_change(_("amended"), resp->record_amend);
    huizong__response__free_unpacked(resp, NULL);
    return HZ_EXIT_OK;
}

int cmd_retract(cli_globals *g, int argc, char **argv)
{
    const char *id = NULL, *reason = NULL;
    const cli_opt opts[] = {{"--reason", &reason, NULL}};
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__RecordRetract rr = HUIZONG__RECORD_RETRACT__INIT;
    Huizong__Response *resp;
    int rc = cli_parse_opts("retract", opts, 1, g, argc, argv, &id, 1);

    if (rc == HZ_EXIT_OK)
        rc = records_check_id("retract", id);
    if (rc == HZ_EXIT_OK && (reason == NULL || *reason == '\0'))
        rc = cli_missing("retract", "--reason TEXT");
    if (rc != HZ_EXIT_OK)
        return rc;
    rr.record_id = (char *)id;
    rr.reason = (char *)reason;
    req.body_case = HUIZONG__REQUEST__BODY_RECORD_RETRACT;
    req.record_retract = &rr;
    if ((rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_RECORD_RETRACT, &resp)) != HZ_EXIT_OK)
        return rc;
    if (resp->record_retract->changed)
        printf(_("record %s retracted\n"), resp->record_retract->record_id);
    else
        printf(_("record %s was already retracted: nothing to do\n"), resp->record_retract->record_id);
    huizong__response__free_unpacked(resp, NULL);
    return HZ_EXIT_OK;
}

/* -------------------------------------------------------------------- nil */

int cmd_nil(cli_globals *g, int argc, char **argv)
{
    const char *period = NULL, *inds = NULL;
    const cli_opt opts[] = {{"--period", &period, NULL}, {"--indicator", &inds, NULL}};
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__NilReport nr = HUIZONG__NIL_REPORT__INIT;
    Huizong__Response *resp;
    char **list = NULL;
    int rc = cli_parse_opts("nil", opts, 2, g, argc, argv, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (period == NULL)
        return cli_missing("nil", "--period PERIOD");
    if (!validate_period(period, NULL)) {
        diag_error(_("nil: --period %s: want 2020-06, 2020-Q2 or 2020"), period);
        return HZ_EXIT_USAGE;
    }
    if (inds && (list = period_list("nil: --indicator", inds, &nr.n_indicators)) == NULL)
        return HZ_EXIT_USAGE;
    nr.period = (char *)period;
    nr.indicators = list;
    req.body_case = HUIZONG__REQUEST__BODY_NIL_REPORT;
    req.nil_report = &nr;
    rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_NIL_REPORT, &resp);
    period_list_free(list);
    if (rc != HZ_EXIT_OK)
        return rc;
    printf(_("nothing to report for %s: %u declared, %u already declared\n"), period,
           resp->nil_report->created, resp->nil_report->unchanged);
    huizong__response__free_unpacked(resp, NULL);
    return HZ_EXIT_OK;
}

/* ---------------------------------------------------------------- correct */

int cmd_correct(cli_globals *g, int argc, char **argv)
{
    const char *id = NULL, *file = NULL, *reason = NULL;
    bool retract = false;
    const cli_opt opts[] = {{"--file", &file, NULL}, {"--reason", &reason, NULL},
                         {"--retract", NULL, &retract}};
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__CorrectionFile cf = HUIZONG__CORRECTION_FILE__INIT;
    Huizong__Response *resp;
    int rc = cli_parse_opts("correct", opts, 3, g, argc, argv, &id, 1);

    if (rc == HZ_EXIT_OK)
        rc = records_check_id("correct", id);
    if (rc == HZ_EXIT_OK && (file != NULL) == retract) {
        diag_error(_("correct: give either --file RECORD.json or --retract (see huizong correct --help)"));
        rc = HZ_EXIT_USAGE;
    }
    if (rc == HZ_EXIT_OK && (reason == NULL || *reason == '\0'))
        rc = cli_missing("correct", "--reason TEXT");
    if (rc != HZ_EXIT_OK)
        return rc;
    if (file && (rc = period_load_record(file, id, &cf.activity, &cf.indicator_value, &cf.honor)) != 0)
        return rc;
    cf.record_id = (char *)id;
    cf.retract = retract;
    cf.reason = (char *)reason;
    req.body_case = HUIZONG__REQUEST__BODY_CORRECTION_FILE;
    req.correction_file = &cf;
    rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_CORRECTION_FILE, &resp);
    records_free_content(cf.activity, cf.indicator_value, cf.honor);
    if (rc != HZ_EXIT_OK)
        return rc;
    printf(_("correction %llu %s (pending a district decision)\n"),
           (unsigned long long)resp->correction_file->correction_id,
           resp->correction_file->created ? _("filed") : _("was already filed"));
    huizong__response__free_unpacked(resp, NULL);
    return HZ_EXIT_OK;
}
