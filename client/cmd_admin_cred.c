/* The admin enroll/cert/audit commands. */
#include "cmd.h"

int cmd_admin_cred(cli_globals *g, int argc, char **argv)
{
    (void)g;
    (void)argc;
    (void)argv;
    return CMD_NOT_MINE;
}

void cmd_admin_cred_usage(FILE *f)
{
    (void)f;
}
