/* The list, amend, retract, nil and correct commands. */
#include "cmd.h"

int cmd_records(cli_globals *g, int argc, char **argv)
{
    (void)g;
    (void)argc;
    (void)argv;
    return CMD_NOT_MINE;
}

void cmd_records_usage(FILE *f)
{
    (void)f;
}
