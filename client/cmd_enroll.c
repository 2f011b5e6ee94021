/* The enroll commands. */
#include "cmd.h"

int cmd_enroll(cli_globals *g, int argc, char **argv)
{
    (void)g;
    (void)argc;
    (void)argv;
    return CMD_NOT_MINE;
}

void cmd_enroll_usage(FILE *f)
{
    (void)f;
}
