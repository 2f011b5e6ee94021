/* The admin quota/period/deadline/correction commands. */
#include "cmd.h"

int cmd_admin_period(cli_globals *g, int argc, char **argv)
{
    (void)g;
    (void)argc;
    (void)argv;
    return CMD_NOT_MINE;
}

void cmd_admin_period_usage(FILE *f)
{
    (void)f;
}
