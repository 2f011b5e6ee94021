/* The sync, status, import and config commands. */
#include "cmd.h"

int cmd_spool(cli_globals *g, int argc, char **argv)
{
    (void)g;
    (void)argc;
    (void)argv;
    return CMD_NOT_MINE;
}

void cmd_spool_usage(FILE *f)
{
    (void)f;
}
