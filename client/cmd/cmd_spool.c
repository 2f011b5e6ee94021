/* The sync, status and config commands: the spool and the settings. */
#include "cmd/cmd.h"

#include <string.h>

#include "cli/diag.h"
#include "cmd/cmd_spool.h"
#include "net/session.h"
#include "spool/spool_report.h"
#include "i18n.h"

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
        res.damaged == 0 && res.left_records == 0 && res.other_records == 0)
        printf(_("nothing to send in %s\n"), cfg->spool);
    fflush(stdout);
    return rc;
}

/* sync --set-aside UNIT: records queued under a unit nobody will send (a
 * district certificate's, an old creds folder's) go to rejected/. */
static int spool_set_aside(const cconf *cfg, const char *unit)
{
    char err[1024];
    long n = spool_set_aside_unit(cfg, unit, err, sizeof err);

    if (n < 0) {
        diag_error("%s", err);
        return HZ_EXIT_INTERNAL;
    }
    if (n == 0)
        printf(_("nothing queued under unit %s in %s\n"), unit, cfg->spool);
    else
        printf("set aside %ld records of unit %s in %s/" SPOOL_REJECTED " (not sent)\n", n,
               unit, cfg->spool);
    return HZ_EXIT_OK;
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
    fputs(_("usage:\n"), f);
    cmd_usage_lines(f, "sync", "config");
}

int cmd_sync(cli_globals *g, int argc, char **argv)
{
    const char *unit = NULL;
    const cli_opt opts[] = {{"--set-aside", &unit, NULL}};
    cconf cfg;
    int rc = cli_parse_opts("sync", opts, 1, g, argc, argv, NULL, 0);

    if (rc != HZ_EXIT_OK || (rc = session_config(g, &cfg)) != HZ_EXIT_OK)
        return rc;
    rc = unit ? spool_set_aside(&cfg, unit) : spool_sync(&cfg);
    cconf_free(&cfg);
    return rc;
}

int cmd_status(cli_globals *g, int argc, char **argv)
{
    return spool_run(g, "status", argc, argv, spool_status_print);
}

int cmd_config(cli_globals *g, int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "show") != 0) {
        diag_error(_("config: want `huizong config show`"));
        return HZ_EXIT_USAGE;
    }
    return spool_run(g, "config show", argc - 1, argv + 1, spool_config_show);
}
