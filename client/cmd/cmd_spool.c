/* The sync, status, import and config commands. */
#include "cmd/cmd.h"

#include <string.h>

#include "cli/diag.h"
#include "net/session.h"
#include "cmd/cmd_spool.h"
#include "spool/spool_report.h"

void cmd_spool_usage(FILE *f)
{
    fputs("  sync                 send the records waiting in the spool\n"
          "  status               what waits in the spool, since when, the last error,\n"
          "                       and the batches set aside (rejected, damaged)\n"
          "  import FILE.csv --type activity|indicator|honor [--encoding auto|utf-8|gb18030]\n"
          "         [--skip-invalid] [--check]\n"
          "  import --template --type activity|indicator|honor [--english] [--bom]\n"
          "  config show          the settings in effect and where each came from\n"
          "  (global option --spool DIR, config key spool: the spool folder,\n"
          "   default ~/.local/share/huizong/spool; see docs/spool.md)\n",
          f);
}

/* Commands that take only global options. */
static int spool_simple_args(cli_globals *g, const char *name, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        int r = cli_global_option(g, argc, argv, &i);
        if (r < 0)
            return HZ_EXIT_USAGE;
        if (r == 0)
            return cli_bad_arg(name, argv[i]);
    }
    return HZ_EXIT_OK;
}

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

static int spool_run(cli_globals *g, const char *cmd, int argc, char **argv)
{
    cconf cfg;
    int rc = spool_simple_args(g, cmd, argc, argv);

    if (rc != HZ_EXIT_OK || (rc = session_config(g, &cfg)) != HZ_EXIT_OK)
        return rc;
    if (strcmp(cmd, "sync") == 0)
        rc = spool_sync(&cfg);
    else if (strcmp(cmd, "status") == 0)
        rc = spool_status_print(&cfg);
    else
        rc = spool_config_show(&cfg);
    cconf_free(&cfg);
    return rc;
}

static void spool_help(const char *cmd)
{
    if (strcmp(cmd, "import") == 0) {
        import_usage(stdout);
        return;
    }
    fputs("usage:\n", stdout);
    cmd_spool_usage(stdout);
}

int cmd_spool(cli_globals *g, int argc, char **argv)
{
    const char *cmd = argv[0];

    if (strcmp(cmd, "sync") && strcmp(cmd, "status") && strcmp(cmd, "import") &&
        strcmp(cmd, "config"))
        return CMD_NOT_MINE;
    if (cmd_wants_help(argc - 1, argv + 1)) {
        spool_help(cmd);
        return HZ_EXIT_OK;
    }
    if (strcmp(cmd, "import") == 0)
        return import_command(g, argc - 1, argv + 1);
    if (strcmp(cmd, "config") == 0) {
        if (argc < 2 || strcmp(argv[1], "show") != 0) {
            diag_error("config: want `huizong config show`");
            return HZ_EXIT_USAGE;
        }
        return spool_run(g, "config show", argc - 2, argv + 2);
    }
    return spool_run(g, cmd, argc - 1, argv + 1);
}
