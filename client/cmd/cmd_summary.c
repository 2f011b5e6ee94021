/* huizong summary: one year's consolidated figures for a unit's subtree. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "net/session.h"
#include "render/render.h"
#include "i18n.h"

void cmd_summary_help(FILE *f)
{
    fputs(_("usage: huizong [GLOBAL OPTIONS] summary (--year YYYY | --from YYYY-MM --to YYYY-MM)\n"
          "                [--unit CODE] [--by street,community,category,month,quarter]\n"
          "                [--events | --top N]\n"
          "                [--format table|csv|json]\n"
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
          "            csv: one table per section, each with its own header row whose\n"
          "                 first column is `section`, separated by an empty line;\n"
          "                 RFC 4180 quoting and CRLF line ends. Sections and columns:\n"
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
          "            json: the SummaryResult with proto field names as keys.\n"),
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
        if (r > 0 && render_format_from_name(v, &a->format) < 0) {
            diag_error(_("summary: --format %s: want table, csv or json"), v);
            return -1;
        }
        return r;
    }
    return 0;
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
    return HZ_EXIT_OK;
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
    if ((rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_SUMMARY, &resp)) != HZ_EXIT_OK)
        return rc;
    unsigned asked = a->by_mask | (a->events ? RENDER_EVENTS : 0);
    if (render_summary(stdout, resp->summary, asked, a->format) < 0 || fflush(stdout)) {
        diag_error(_("summary: cannot write the output"));
        rc = HZ_EXIT_INTERNAL;
    }
    huizong__response__free_unpacked(resp, NULL);
    return rc;
}

int cmd_summary(cli_globals *g, int argc, char **argv)
{
    summary_args a = {.format = RENDER_TABLE};
    int rc = summary_parse(g, argc, argv, &a);

    return rc == HZ_EXIT_OK ? summary_run(g, &a) : rc;
}
