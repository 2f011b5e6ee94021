/* The commands of the spool module, each called by cmd_spool.c. */
#ifndef HZ_SPOOL_CMDS_H
#define HZ_SPOOL_CMDS_H

#include <stdio.h>

#include "cli/cconf.h"
#include "cli/cli.h"

int spool_status_print(const cconf *cfg);
int spool_config_show(const cconf *cfg);
int import_command(cli_globals *g, int argc, char **argv);
void import_usage(FILE *f);

#endif
