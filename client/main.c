/* huizong: the command-line client. Finds the command in the table
 * (cmd/cmd_table.c) and runs it; global options may come before or after
 * the command name, and between `admin` and its noun. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/diag.h"
#include "cmd/cmd.h"
#include "i18n.h"

/* Global options between the first word and the next; returns the index of
 * the next word, or -1 with *rc set. */
static int main_sub_options(cli_globals *g, int argc, char **argv, int *rc)
{
    int i = 1;

    for (; i < argc && argv[i][0] == '-'; i++) {
        int r = cli_global_option(g, argc, argv, &i);
        if (r <= 0) {
            *rc = r < 0 ? HZ_EXIT_USAGE : cli_bad_arg(argv[0], argv[i]);
            return -1;
        }
    }
    return i;
}

static int main_unknown(const char *cmd)
{
    if (cmd[0] == '-')
        diag_error(_("unknown option %s (see huizong --help)"), cmd);
    else
        diag_error(_("unknown command \"%s\" (see huizong --help for the commands)"), cmd);
    return HZ_EXIT_USAGE;
}

/* argv[0] is the command's first word. */
static int main_dispatch(cli_globals *g, int argc, char **argv)
{
    int next = 1, args, rc = HZ_EXIT_OK;
    const cmd_row *row;

    if (cmd_wants_help(argc - 1, argv + 1)) {
        if ((row = cmd_find(argc, argv, 1, &args)) == NULL)
            return main_unknown(argv[0]);
        row->help(stdout);
        return HZ_EXIT_OK;
    }
    if (cmd_has_sub(argv[0]) && (next = main_sub_options(g, argc, argv, &rc)) < 0)
        return rc;
    if ((row = cmd_find(argc, argv, next, &args)) == NULL)
        return main_unknown(argv[0]);
    if (row->run == NULL)
        row = cmd_find(1, argv, next, &args);
    return row->run(g, argc - args, argv + args);
}

int main(int argc, char **argv)
{
    cli_globals g = {0};
    int i = 1;

    i18n_init();
    for (; i < argc; i++) {
        int r = cli_global_option(&g, argc, argv, &i);
        if (r < 0)
            return HZ_EXIT_USAGE;
        if (r == 0)
            break;
    }
    if (g.help) {
        cmd_help(stdout);
        return HZ_EXIT_OK;
    }
    if (i >= argc) {
        diag_error(_("missing command (see huizong --help)"));
        return HZ_EXIT_USAGE;
    }
    return main_dispatch(&g, argc - i, argv + i);
}
