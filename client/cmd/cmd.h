/* The commands of huizong. Each gets the arguments after its name, takes
 * global options from among them, and returns an exit code (cli.h). */
#ifndef HZ_CMD_H
#define HZ_CMD_H

#include <stdio.h>

#include "cli/cli.h"

int cmd_submit(cli_globals *g, int argc, char **argv);
int cmd_summary(cli_globals *g, int argc, char **argv);
int cmd_admin(cli_globals *g, int argc, char **argv);

void cmd_submit_usage(FILE *f);
void cmd_summary_usage(FILE *f);
void cmd_admin_usage(FILE *f);

/* Command modules. Each takes the arguments starting at the command name (or,
 * for admin modules, at the noun after `admin`), runs the command when it is
 * one of its own and returns an exit code, else returns CMD_NOT_MINE. Each
 * prints the lines of its commands for the overall help with its _usage. */
#define CMD_NOT_MINE (-100)
int cmd_records(cli_globals *g, int argc, char **argv);      /* list, amend, retract, nil, correct */
int cmd_spool(cli_globals *g, int argc, char **argv);        /* sync, status, import, config */
int cmd_district(cli_globals *g, int argc, char **argv);     /* completeness, quotas, report, export, pull */
int cmd_enroll(cli_globals *g, int argc, char **argv);       /* enroll */
int cmd_admin_org(cli_globals *g, int argc, char **argv);    /* unit (but add), category, indicator */
int cmd_admin_cred(cli_globals *g, int argc, char **argv);   /* enroll, cert list|revoke, audit */
int cmd_admin_period(cli_globals *g, int argc, char **argv); /* quota, period, deadline, correction */
int cmd_admin_ops(cli_globals *g, int argc, char **argv);    /* stats */
void cmd_records_usage(FILE *f);
void cmd_spool_usage(FILE *f);
void cmd_district_usage(FILE *f);
void cmd_enroll_usage(FILE *f);
void cmd_admin_org_usage(FILE *f);
void cmd_admin_cred_usage(FILE *f);
void cmd_admin_period_usage(FILE *f);
void cmd_admin_ops_usage(FILE *f);

/* True when -h or --help is among the arguments: help wins over other errors. */
bool cmd_wants_help(int argc, char **argv);

#endif
