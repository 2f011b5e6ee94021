/* The commands of huizong. Each gets the arguments after its name, takes
 * global options from among them, and returns an exit code (cli.h). */
#ifndef HZ_CMD_H
#define HZ_CMD_H

#include <stdio.h>

#include "cli.h"

int cmd_submit(cli_globals *g, int argc, char **argv);
int cmd_summary(cli_globals *g, int argc, char **argv);
int cmd_admin(cli_globals *g, int argc, char **argv);

void cmd_submit_usage(FILE *f);
void cmd_summary_usage(FILE *f);
void cmd_admin_usage(FILE *f);

/* True when -h or --help is among the arguments: help wins over other errors. */
bool cmd_wants_help(int argc, char **argv);

#endif
