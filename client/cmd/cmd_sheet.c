/* The options of people's tables, for export and summary. */
#include "cmd/cmd_sheet.h"

#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/diag.h"
#include "i18n.h"

int sheet_args_take(sheet_args *s, int argc, char **argv, int *i)
{
    int r;

    if (strcmp(argv[*i], "--no-bom") == 0) {
        s->no_bom = true;
        return 1;
    }
    if ((r = cli_take_value("--encoding", argc, argv, i, &s->encoding)) != 0)
        return r;
    if ((r = cli_take_value("--headers", argc, argv, i, &s->headers)) != 0)
        return r;
    return cli_take_value("--section", argc, argv, i, &s->section);
}

bool sheet_args_given(const sheet_args *s)
{
    return s->encoding || s->headers || s->section || s->no_bom;
}

static bool sheet_gb18030(const sheet_args *s)
{
    return s->encoding && (strcasecmp(s->encoding, "gb18030") == 0 ||
                           strcasecmp(s->encoding, "gbk") == 0);
}

bool sheet_args_machine(const sheet_args *s)
{
    return s->headers && strcmp(s->headers, "en") == 0 && s->no_bom && !s->section &&
           !sheet_gb18030(s);
}

int sheet_args_style(const char *cmd, const sheet_args *s, bool xlsx,
                     int (*section_known)(const char *), const char *sections, sheet_style *st)
{
    memset(st, 0, sizeof *st);
    st->xlsx = xlsx;
    if (s->headers && strcmp(s->headers, "zh") != 0 && strcmp(s->headers, "en") != 0) {
        diag_error(_("%s: --headers %s: want zh or en"), cmd, s->headers);
        return HZ_EXIT_USAGE;
    }
    if (s->encoding && !sheet_gb18030(s) && strcasecmp(s->encoding, "utf-8") != 0 &&
        strcasecmp(s->encoding, "utf8") != 0) {
        diag_error(_("%s: --encoding %s: want utf-8 or gb18030"), cmd, s->encoding);
        return HZ_EXIT_USAGE;
    }
    if (s->section && section_known(s->section) < 0) {
        diag_error(_("%s: --section %s: want one of %s"), cmd, s->section, sections);
        return HZ_EXIT_USAGE;
    }
    if (xlsx && (s->encoding || s->no_bom)) {
        diag_error(_("%s: --encoding and --no-bom are for CSV; a workbook (.xlsx) has no "
                     "encoding to choose"), cmd);
        return HZ_EXIT_USAGE;
    }
    st->english = s->headers && strcmp(s->headers, "en") == 0;
    st->encoding = sheet_gb18030(s) ? SHEET_GB18030 : SHEET_UTF8;
    st->bom = !s->no_bom;
    return HZ_EXIT_OK;
}
