/* huizong summary: one year's consolidated figures for a unit's subtree. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "cmd/cmd_sheet.h"
#include "i18n.h"
#include "net/session.h"
#include "render/render.h"
#include "i18n.h"
#include "render/sheet_summary.h"

void cmd_summary_help(FILE *f)
{
    fputs(_("usage: huizong [GLOBAL OPTIONS] summary (--year YYYY | --from YYYY-MM --to YYYY-MM)\n"
          "                [--unit CODE] [--by street,community,category,month,quarter]\n"
          "                [--events | --top N]\n"
          "                [--format table|csv|json|xlsx] [--out FILE]\n"
          "                [--headers zh|en] [--encoding utf-8|gb18030] [--no-bom]\n"
          "                [--section activity|event|indicator|honor]\n"
          "\n"
          "Activities (count, participants), indicator totals and honours of one year\n"
          "(or of the months --from .. --to, both included) for a unit and everything\n"
          "under it (default: the certificate's own unit). Drill down by asking the\n"
          "same with --unit one level lower.\n"
          "A participants figure ending in + (e.g. 40+) is a lower bound: some records\n"
          "gave only \"at least\" (40余人), or no count at all. A count nobody reported\n"
          "is never shown as 0: the table says \"not reported\" and, when some are, adds a\n"
          "column with how many activities had no count; csv leaves the cell empty\n"
          "(and adds participants_unknown last), json gives null.\n"
          "  --by      group by any of street, community, category, month, quarter\n"
          "            (indicators are not grouped by category)\n"
          "  --events  also list each activity by date (活动明细): date, community,\n"
          "            category, title, participants, partners; never its beneficiaries\n"
          "  --top N   list only the N largest activities (by participants) of each\n"
          "            category (the year-end report's highlights)\n"
          "  --format  table (default): aligned tables for a terminal;\n"
          "            csv: for people: one table per file, --out FILE.csv writes\n"
          "                 FILE-activity.csv, FILE-indicator.csv, FILE-honor.csv (and\n"
          "                 FILE-event.csv); --section NAME writes that one table (to\n"
          "                 --out or standard output). Chinese headers (--headers en:\n"
          "                 the field names below), UTF-8 with a byte-order mark so that\n"
          "                 Excel opens it by double-click (--encoding gb18030: GB18030;\n"
          "                 --no-bom: no mark). RFC 4180 quoting, CRLF line ends.\n"
          "                 --headers en --no-bom without --section: the machine CSV,\n"
          "                 every section in one stream, each with its own header row\n"
          "                 whose first column is `section`, separated by an empty line.\n"
          "                 Sections and columns:\n"
          "                 activity: community, community_name, category,\n"
          "                   category_name, month, activities, participants,\n"
          "                   participants_at_least (true/false); grouped by street\n"
          "                   or quarter: then street, street_name, quarter\n"
          "                 event (with --events): date, community, community_name,\n"
          "                   category, category_name, title, location, participants,\n"
          "                   participants_at_least, partners (joined with 、)\n"
          "                 indicator: community, community_name, month, indicator,\n"
          "                   indicator_name, value, unit, aggregation (then street,\n"
          "                   street_name, quarter as above)\n"
          "                 honor: date, community, community_name, title, recipient,\n"
          "                   level, issuer\n"
          "            json: the SummaryResult with proto field names as keys.\n"
          "            xlsx: one workbook (--out FILE.xlsx), a sheet per section (活动,\n"
          "                 活动明细, 指标, 荣誉) with the columns above under Chinese\n"
          "                 headers, numbers and dates as typed cells, the header row frozen.\n"),
          f);
}

typedef struct {
    int year;
    const char *unit;
    const char *from, *to;
    Huizong__GroupBy by[5];
    size_t n_by;
    unsigned by_mask;
    bool events;
    unsigned top;
    render_format format;
    bool xlsx;
    const char *out;
    sheet_args sheet;
} summary_args;

static int summary_parse_by(const char *list, summary_args *a)
{
    static const struct {
        const char *name;
        Huizong__GroupBy g;
        unsigned mask;
    } names[] = {
        {"community", HUIZONG__GROUP_BY__GROUP_BY_COMMUNITY, RENDER_BY_COMMUNITY},
        {"category", HUIZONG__GROUP_BY__GROUP_BY_CATEGORY, RENDER_BY_CATEGORY},
        {"month", HUIZONG__GROUP_BY__GROUP_BY_MONTH, RENDER_BY_MONTH},
        {"street", HUIZONG__GROUP_BY__GROUP_BY_STREET, RENDER_BY_STREET},
        {"quarter", HUIZONG__GROUP_BY__GROUP_BY_QUARTER, RENDER_BY_QUARTER},
    };
    const size_t nnames = sizeof names / sizeof names[0];
    const char *p = list;

    while (*p) {
        size_t len = strcspn(p, ","), k = 0;

        while (k < nnames &&
               !(strlen(names[k].name) == len && strncmp(p, names[k].name, len) == 0))
            k++;
        if (k == nnames || (a->by_mask & names[k].mask)) {
            diag_error(_("summary: --by %s: want a list of street, community, category, month, "
                       "quarter, each once"), list);
            return -1;
        }
        a->by[a->n_by++] = names[k].g;
        a->by_mask |= names[k].mask;
        p += len + (p[len] == ',');
    }
    return 0;
}

static int summary_option(void *ctx, int argc, char **argv, int *i)
{
    summary_args *a = ctx;
    const char *v;
    int r;

    if ((r = cli_take_value("--year", argc, argv, i, &v)) != 0)
        return r < 0 ? r : cli_year("summary", v, &a->year);
    if ((r = cli_take_value("--unit", argc, argv, i, &v)) != 0) {
        a->unit = v;
        return r;
    }
    if ((r = cli_take_value("--from", argc, argv, i, &v)) != 0) {
        a->from = v;
        return r;
    }
    if ((r = cli_take_value("--to", argc, argv, i, &v)) != 0) {
        a->to = v;
        return r;
    }
    if ((r = cli_take_value("--by", argc, argv, i, &v)) != 0)
        return r < 0 ? r : (summary_parse_by(v, a) < 0 ? -1 : 1);
    if ((r = cli_take_value("--top", argc, argv, i, &v)) != 0) {
        char *end;
        unsigned long n = r > 0 ? strtoul(v, &end, 10) : 0;
        if (r > 0 && (*end || end == v || n < 1 || n > 1000)) {
            diag_error(_("summary: --top %s: want a number from 1 to 1000"), v);
            return -1;
        }
        a->top = (unsigned)n;
        a->events = true;
        return r;
    }
    if (strcmp(argv[*i], "--events") == 0) {
        a->events = true;
        return 1;
    }
    if ((r = cli_take_value("--format", argc, argv, i, &v)) != 0) {
        a->xlsx = r > 0 && strcmp(v, "xlsx") == 0;
        if (a->xlsx)
            a->format = RENDER_CSV;
        else if (r > 0 && render_format_from_name(v, &a->format) < 0) {
            diag_error(_("summary: --format %s: want table, csv, json or xlsx"), v);
            return -1;
        }
        return r;
    }
    if ((r = cli_take_value("--out", argc, argv, i, &a->out)) != 0)
        return r;
    return sheet_args_take(&a->sheet, argc, argv, i);
}

/* The options of people's tables, checked before the server is asked. */
static int summary_check_sheets(const summary_args *a)
{
    sheet_style st;

    if (a->format != RENDER_CSV && sheet_args_given(&a->sheet)) {
        diag_error(_("summary: --headers, --encoding, --no-bom and --section are for --format "
                     "csv or xlsx"));
        return HZ_EXIT_USAGE;
    }
    if (a->format != RENDER_CSV)
        return HZ_EXIT_OK;
    int rc = sheet_args_style("summary", &a->sheet, a->xlsx, sheet_summary_section_known,
                              "activity, event, indicator, honor", &st);
    if (rc == HZ_EXIT_OK && !a->xlsx && !sheet_args_machine(&a->sheet) && !a->sheet.section &&
        (!a->out || strcmp(a->out, "-") == 0)) {
        diag_error(_("summary: CSV holds one table per file: give --out FILE.csv (one file per "
                     "section) or --section activity|event|indicator|honor (--headers en "
                     "--no-bom: the machine CSV, every section in one stream)"));
        rc = HZ_EXIT_USAGE;
    }
    return rc;
}

static int summary_parse(cli_globals *g, int argc, char **argv, summary_args *a)
{
    int rc = cli_parse("summary", g, argc, argv, summary_option, a, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (a->year != 0 && (a->from || a->to)) {
        diag_error(_("summary: give --year or --from/--to, not both"));
        return HZ_EXIT_USAGE;
    }
    if (a->year == 0 && (!a->from || !a->to)) {
        diag_error(_("summary: missing --year, or --from and --to (see huizong summary --help)"));
        return HZ_EXIT_USAGE;
    }
    return summary_check_sheets(a);
}

/* The summary as people's tables: CSV files or one workbook. */
static int summary_sheets(const summary_args *a, const Huizong__SummaryResult *r, unsigned asked)
{
    sheet_style st;
    char err[1200];
    sheet_book *b;

    sheet_args_style("summary", &a->sheet, a->xlsx, sheet_summary_section_known, "", &st);
    if ((b = sheet_open(&st, a->out, a->sheet.section != NULL, err, sizeof err)) == NULL) {
        diag_error("summary: %s", err);
        return HZ_EXIT_USAGE;
    }
    sheet_summary_write(b, r, asked, a->sheet.section);
    if (sheet_close(b, stderr, err, sizeof err) < 0) {
        diag_error("summary: %s", err);
        return HZ_EXIT_INTERNAL;
    }
    return HZ_EXIT_OK;
}

/* Tables, JSON or the machine CSV, to --out or standard output. */
static int summary_print(const summary_args *a, const Huizong__SummaryResult *r, unsigned asked)
{
    FILE *f = a->out && strcmp(a->out, "-") != 0 ? fopen(a->out, "w") : stdout;
    int rc = HZ_EXIT_OK;

    if (f == NULL) {
        diag_error(_("summary: --out %s: %s"), a->out, strerror(errno));
        return HZ_EXIT_USAGE;
    }
    if (render_summary(f, r, asked, a->format) < 0 || fflush(f) != 0)
        rc = HZ_EXIT_INTERNAL;
    if (f != stdout && fclose(f) != 0)
        rc = HZ_EXIT_INTERNAL;
    if (rc != HZ_EXIT_OK)
        diag_error(_("summary: cannot write the output"));
    if (rc != HZ_EXIT_OK)
        diag_error("summary: cannot write the output");
    return rc;
}

static int summary_run(cli_globals *g, const summary_args *a)
{
    Huizong__SummaryRequest sr = HUIZONG__SUMMARY_REQUEST__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Response *resp;
    int rc;

    sr.year = a->year;
    sr.unit_code = (char *)(a->unit ? a->unit : "");
    sr.from = (char *)(a->from ? a->from : "");
    sr.to = (char *)(a->to ? a->to : "");
    sr.n_group_by = a->n_by;
    sr.group_by = (Huizong__GroupBy *)a->by;
    sr.list_activities = a->events;
    sr.top_activities = a->top;
    req.body_case = HUIZONG__REQUEST__BODY_SUMMARY;
    req.summary = &sr;
    if ((rc = session_read(g, &req, HUIZONG__RESPONSE__BODY_SUMMARY, &resp)) != HZ_EXIT_OK)
        return rc;
    unsigned asked = a->by_mask | (a->events ? RENDER_EVENTS : 0);
    if (a->format == RENDER_CSV && !sheet_args_machine(&a->sheet))
        rc = summary_sheets(a, resp->summary, asked);
    else
        rc = summary_print(a, resp->summary, asked);
    huizong__response__free_unpacked(resp, NULL);
    return rc;
}

int cmd_summary(cli_globals *g, int argc, char **argv)
{
    summary_args a = {.format = RENDER_TABLE};
    int rc = summary_parse(g, argc, argv, &a);

    return rc == HZ_EXIT_OK ? summary_run(g, &a) : rc;
}
