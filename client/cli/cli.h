/* What the commands of huizong share: exit codes, the resolved global
 * options, and the argument helpers used by every command parser. */
#ifndef HZ_CLI_H
#define HZ_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* Exit codes are part of the interface: scripts branch on them. */
enum {
    HZ_EXIT_OK = 0,
    HZ_EXIT_USAGE = 1,    /* bad flags or arguments */
    HZ_EXIT_INPUT = 2,    /* input file invalid; nothing was sent */
    HZ_EXIT_NET = 3,      /* cannot reach or authenticate to the server */
    HZ_EXIT_REFUSED = 4,  /* the server refused the request */
    HZ_EXIT_INTERNAL = 5, /* anything else */
};

/* Global options as given on the command line; NULL when not given.
 * cconf_resolve() merges them with the config file into the final values. */
typedef struct {
    const char *config;
    const char *server;
    const char *creds;
    const char *cert;
    const char *key;
    const char *ca;
    const char *timeout;
    const char *spool;   /* the spool folder (docs/spool.md) */
    bool help;
} cli_globals;

/* Tries to consume a global option at argv[*i] (and its value). Returns 1
 * when consumed, 0 when argv[*i] is not a global option, -1 on a usage error
 * (already reported). Lets global options follow the command name. */
int cli_global_option(cli_globals *g, int argc, char **argv, int *i);

/* Matches "--name VALUE" or "--name=VALUE" at argv[*i]. Returns 1 and sets
 * *value (advancing *i past a separate value), 0 when the name differs,
 * -1 when the value is missing (already reported). */
int cli_take_value(const char *name, int argc, char **argv, int *i, const char **value);

/* Reports an unknown option or stray argument of a command; returns HZ_EXIT_USAGE. */
int cli_bad_arg(const char *command, const char *arg);

/* Reports a missing option of cmd; returns HZ_EXIT_USAGE. */
int cli_missing(const char *cmd, const char *what);

/* The value of a command's --year into *year: 1, or -1 after reporting a
 * year outside proto's range (validate_year_number). */
int cli_year(const char *cmd, const char *v, int *year);

/* A command's own option at argv[*i]: 1 taken (*i past its value), 0 not
 * its own, -1 a usage error (reported). */
typedef int (*cli_own_option)(void *ctx, int argc, char **argv, int *i);

/* Walks a command's arguments: each is its own option (own, may be NULL),
 * else a global option, else one of at most npos positional arguments
 * (pos[], in order; nothing starting with '-'), else a usage error naming
 * cmd. Returns HZ_EXIT_OK or HZ_EXIT_USAGE (already reported). */
int cli_parse(const char *cmd, cli_globals *g, int argc, char **argv, cli_own_option own,
              void *ctx, const char **pos, size_t npos);

/* One option of a command: a value (`value` set) or a flag (`flag` set). */
typedef struct {
    const char *name;
    const char **value;
    bool *flag;
} cli_opt;

/* cli_parse with the command's own options in a table. */
int cli_parse_opts(const char *cmd, const cli_opt *opts, size_t nopts, cli_globals *g, int argc,
                   char **argv, const char **pos, size_t npos);

#endif
