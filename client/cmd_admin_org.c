/* The admin unit/category/indicator commands. */
#include "cmd.h"

int cmd_admin_org(cli_globals *g, int argc, char **argv)
{
    (void)g;
    (void)argc;
    (void)argv;
    return CMD_NOT_MINE;
}

void cmd_admin_org_usage(FILE *f)
{
    (void)f;
}
