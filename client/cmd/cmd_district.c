/* What the completeness, quotas, report, export and pull commands share:
 * their options and the output file. Each command is in its own cmd_*.c file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "cmd/cmd_district.h"
#include "i18n.h"

static int district_option(void *ctx, int argc, char **argv, int *i)
{
    district_args *a = ctx;
    const char *v;
    int r;

    if ((r = cli_take_value("--year", argc, argv, i, &v)) != 0)
        return r < 0 ? r : cli_year(a->cmd, v, &a->year);
    if ((r = cli_take_value("--period", argc, argv, i, &v)) != 0) {
        if (r > 0)
            a->from = a->to = v; /* one month: the span from it to itself */
        return r;
    }
    if ((r = cli_take_value("--from", argc, argv, i, &a->from)) != 0)
        return r;
    if ((r = cli_take_value("--to", argc, argv, i, &a->to)) != 0)
        return r;
    if ((r = cli_take_value("--unit", argc, argv, i, &a->unit)) != 0)
        return r;
    if ((r = cli_take_value("--format", argc, argv, i, &a->format)) != 0)
        return r;
    if ((r = cli_take_value("--out", argc, argv, i, &a->out)) != 0)
        return r;
    if ((r = cli_take_value("--since", argc, argv, i, &a->since)) != 0)
        return r;
    if ((r = cli_take_value("--page-size", argc, argv, i, &v)) != 0) {
        if (r > 0)
            a->page_size = (uint32_t)strtoul(v, NULL, 10);
        return r;
    }
    return sheet_args_take(&a->sheet, argc, argv, i);
}

static int district_check(const district_args *a, const char *const *formats)
{
    char list[128] = "";
    size_t k = 0;

    while (formats[k] && strcmp(formats[k], a->format) != 0)
        k++;
    if (!formats[k]) {
        for (k = 0; formats[k]; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "",
                     formats[k]);
        diag_error(_("%s: --format %s: want one of %s"), a->cmd, a->format, list);
        return HZ_EXIT_USAGE;
    }
    if (strcmp(a->cmd, "export") != 0 && sheet_args_given(&a->sheet)) {
        diag_error(_("%s: --headers, --encoding, --no-bom and --section are options of export "
                     "and summary"), a->cmd);
        return HZ_EXIT_USAGE;
    }
    if (strcmp(a->cmd, "pull") == 0)
        return HZ_EXIT_OK;
    if (a->year && (a->from || a->to)) {
        diag_error(_("%s: give --year or --from/--to, not both"), a->cmd);
        return HZ_EXIT_USAGE;
    }
    if (!a->year && (!a->from || !a->to)) {
        diag_error(_("%s: missing --year, or --from and --to (see huizong %s --help)"), a->cmd,
                   a->cmd);
        return HZ_EXIT_USAGE;
    }
    return HZ_EXIT_OK;
}

int district_parse(cli_globals *g, int argc, char **argv, district_args *a,
                   const char *const *formats)
{
    a->format = NULL;
    int rc = cli_parse(a->cmd, g, argc, argv, district_option, a, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (!a->format)
        a->format = formats[0];
    return district_check(a, formats);
}

void district_compliance_request(const district_args *a, Huizong__ComplianceRequest *cr,
                                 Huizong__Request *req)
{
    huizong__compliance_request__init(cr);
    huizong__request__init(req);
    cr->year = a->year;
    cr->from = (char *)(a->from ? a->from : "");
    cr->to = (char *)(a->to ? a->to : "");
    cr->unit_code = (char *)(a->unit ? a->unit : "");
    req->body_case = HUIZONG__REQUEST__BODY_COMPLIANCE;
    req->compliance = cr;
}

FILE *district_open_out(const district_args *a)
{
    FILE *f;

    if (!a->out || strcmp(a->out, "-") == 0)
        return stdout;
    if ((f = fopen(a->out, "w")) == NULL)
        diag_error(_("%s: --out %s: %s"), a->cmd, a->out, strerror(errno));
    return f;
}

int district_close_out(const district_args *a, FILE *f, int rc)
{
    int bad = ferror(f) || fflush(f) != 0;

    if (f != stdout && fclose(f) != 0)
        bad = 1;
    if (bad && rc == HZ_EXIT_OK) {
        diag_error(_("%s: cannot write %s"), a->cmd, a->out ? a->out : "the output");
        return HZ_EXIT_INTERNAL;
    }
    return rc;
}
