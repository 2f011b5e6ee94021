/* The sync, status and config commands: the spool and the settings. */
#include "cmd/cmd.h"

#include <string.h>

#include "cli/diag.h"
#include "cmd/cmd_spool.h"
#include "net/session.h"
#include "spool/spool_report.h"

static int spool_sync(const cconf *cfg)
{
    spool_result res;
    progress pg;
    int rc;

    progress_init(&pg, "sync");
    spool_flush(cfg, NULL, NULL, &pg, &res);
    progress_done(&pg);
    rc = spool_report(cfg, "sync", &res, 0);
    if (res.older.batches == 0 && res.older.rejected_batches == 0 && res.rc == HZ_EXIT_OK &&
        res.damaged == 0 && res.left_records == 0)
        printf("nothing to send in %s\n", cfg->spool);
    fflush(stdout);
    return rc;
}

/* A command that takes only global options and works on the settings. */
static int spool_run(cli_globals *g, const char *cmd, int argc, char **argv,
                     int (*work)(const cconf *cfg))
{
    cconf cfg;
    int rc = cli_parse(cmd, g, argc, argv, NULL, NULL, NULL, 0);

    if (rc != HZ_EXIT_OK || (rc = session_config(g, &cfg)) != HZ_EXIT_OK)
        return rc;
    rc = work(&cfg);
    cconf_free(&cfg);
    return rc;
}

void cmd_spool_help(FILE *f)
{
    fputs("usage:\n", f);
    cmd_usage_lines(f, "sync", "config");
}

int cmd_sync(cli_globals *g, int argc, char **argv)
{
    return spool_run(g, "sync", argc, argv, spool_sync);
}

int cmd_status(cli_globals *g, int argc, char **argv)
{
    return spool_run(g, "status", argc, argv, spool_status_print);
}

int cmd_config(cli_globals *g, int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "show") != 0) {
        diag_error("config: want `huizong config show`");
        return HZ_EXIT_USAGE;
    }
    return spool_run(g, "config show", argc - 1, argv + 1, spool_config_show);
}
