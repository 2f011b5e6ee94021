/* Argument helpers shared by the command parsers. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "cli/diag.h"
#include "validate.h"
#include "i18n.h"

int cli_take_value(const char *name, int argc, char **argv, int *i, const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);

    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        diag_error(_("%s needs a value (see huizong --help)"), name);
        return -1;
    }
    *value = argv[++*i];
    return 1;
}

int cli_global_option(cli_globals *g, int argc, char **argv, int *i)
{
    static const struct {
        const char *name;
        size_t offset;
    } opts[] = {
        {"--config", offsetof(cli_globals, config)}, {"--server", offsetof(cli_globals, server)},
        {"--creds", offsetof(cli_globals, creds)},   {"--cert", offsetof(cli_globals, cert)},
        {"--key", offsetof(cli_globals, key)},       {"--ca", offsetof(cli_globals, ca)},
        {"--timeout", offsetof(cli_globals, timeout)}, {"--spool", offsetof(cli_globals, spool)},
    };

    if (strcmp(argv[*i], "-h") == 0 || strcmp(argv[*i], "--help") == 0) {
        g->help = true;
        return 1;
    }
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
        const char **slot = (const char **)((char *)g + opts[k].offset);
        int r = cli_take_value(opts[k].name, argc, argv, i, slot);

        if (r != 0)
            return r;
    }
    return 0;
}

int cli_bad_arg(const char *command, const char *arg)
{
    if (arg[0] == '-')
        diag_error(_("%s: unknown option %s (see huizong %s --help)"), command, arg, command);
    else
        diag_error(_("%s: unexpected argument \"%s\" (see huizong %s --help)"), command, arg, command);
    return HZ_EXIT_USAGE;
}

int cli_missing(const char *cmd, const char *what)
{
    diag_error(_("%s: missing %s (see huizong %s --help)"), cmd, what, cmd);
    return HZ_EXIT_USAGE;
}

int cli_year(const char *cmd, const char *v, int *year)
{
    char *end;
    long y = strtol(v, &end, 10);

    if (*end || end == v || !validate_year_number(y)) {
        diag_error(_("%s: --year %s: want a year like 2020"), cmd, v);
        return -1;
    }
    *year = (int)y;
    return 1;
}

int cli_parse(const char *cmd, cli_globals *g, int argc, char **argv, cli_own_option own,
              void *ctx, const char **pos, size_t npos)
{
    size_t got = 0;

    for (int i = 0; i < argc; i++) {
        int r = own ? own(ctx, argc, argv, &i) : 0;
        if (r == 0)
            r = cli_global_option(g, argc, argv, &i);
        if (r < 0)
            return HZ_EXIT_USAGE;
        if (r > 0)
            continue;
        if (argv[i][0] == '-' || got >= npos)
            return cli_bad_arg(cmd, argv[i]);
        pos[got++] = argv[i];
    }
    return HZ_EXIT_OK;
}

typedef struct {
    const cli_opt *opts;
    size_t n;
} cli_opt_table;

static int cli_opt_one(void *ctx, int argc, char **argv, int *i)
{
    const cli_opt_table *t = ctx;

    for (size_t k = 0; k < t->n; k++) {
        if (t->opts[k].flag) {
            if (strcmp(argv[*i], t->opts[k].name) == 0) {
                *t->opts[k].flag = true;
                return 1;
            }
            continue;
        }
        int r = cli_take_value(t->opts[k].name, argc, argv, i, t->opts[k].value);
        if (r != 0)
            return r;
    }
    return 0;
}

int cli_parse_opts(const char *cmd, const cli_opt *opts, size_t nopts, cli_globals *g, int argc,
                   char **argv, const char **pos, size_t npos)
{
    cli_opt_table t = {opts, nopts};

    return cli_parse(cmd, g, argc, argv, cli_opt_one, &t, pos, npos);
}
