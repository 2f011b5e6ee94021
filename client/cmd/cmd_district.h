/* What the district commands share: their common options and the output
 * file. */
#ifndef HZ_CMD_DISTRICT_H
#define HZ_CMD_DISTRICT_H

#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cmd/cmd_sheet.h"
#include "huizong.pb-c.h"

typedef struct {
    const char *cmd;          /* "report", "export", "pull" */
    int year;
    const char *from, *to;    /* "YYYY-MM" */
    const char *unit;
    const char *format;
    const char *out;          /* NULL: stdout */
    const char *since;        /* pull */
    uint32_t page_size;       /* export, hidden: tests use small pages */
    sheet_args sheet;         /* export: people's tables */
} district_args;

/* Parses argv (after the command name): the options above plus the global
 * ones. `formats` is a NULL-terminated list of accepted --format values (the
 * first is the default). Returns HZ_EXIT_OK or an exit code (reported). */
int district_parse(cli_globals *g, int argc, char **argv, district_args *a,
                   const char *const *formats);

/* Opens a.out (or stdout); NULL when it cannot be opened (reported). */
/* The ComplianceRequest of a's span and unit, as the body of req; borrows a's strings. */
void district_compliance_request(const district_args *a, Huizong__ComplianceRequest *cr,
                                 Huizong__Request *req);

FILE *district_open_out(const district_args *a);
/* Closes it; returns HZ_EXIT_OK or HZ_EXIT_INTERNAL (reported). */
int district_close_out(const district_args *a, FILE *f, int rc);

int district_report(cli_globals *g, int argc, char **argv);
int district_export(cli_globals *g, int argc, char **argv);
int district_pull(cli_globals *g, int argc, char **argv);
/* cmd: "completeness" or "quotas". */
int district_compliance(cli_globals *g, int argc, char **argv, const char *cmd);

#endif
