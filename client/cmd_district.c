/* The completeness, quotas, report, export and pull commands. */
#include "cmd.h"

int cmd_district(cli_globals *g, int argc, char **argv)
{
    (void)g;
    (void)argc;
    (void)argv;
    return CMD_NOT_MINE;
}

void cmd_district_usage(FILE *f)
{
    (void)f;
}
