/* huizong: the command-line client. Dispatches to a command; global
 * options may come before or after the command name. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cmd/cmd.h"
#include "cli/diag.h"

static void main_usage(FILE *f)
{
    fputs("usage: huizong [GLOBAL OPTIONS] COMMAND [ARGS]\n"
          "\n"
          "Global options (may also follow the command; flags override the config file):\n"
          "  --config FILE        config file; default $HUIZONG_CONFIG, else\n"
          "                       ~/.config/huizong/client.conf (a missing default is fine)\n"
          "  --server HOST:PORT   server, default 127.0.0.1:7443 (config key: server);\n"
          "                       a comma-separated list is tried in turn\n"
          "  --creds DIR          folder with client.crt, client.key, ca.crt\n"
          "                       (config key: creds; default ~/.config/huizong)\n"
          "  --cert FILE --key FILE --ca FILE\n"
          "                       override the members of --creds (config keys: cert, key, ca)\n"
          "  --timeout SECONDS    connect and read timeout, default 10 (config key: timeout)\n"
          "  --spool DIR          where records wait until the server acknowledges them\n"
          "                       (config key: spool; default ~/.local/share/huizong/spool)\n"
          "  -h, --help           this help; `huizong COMMAND --help` for a command\n"
          "\n"
          "Commands:\n"
          "  submit FILE.json\n"
          "  summary --year YYYY [--unit CODE] [--by community,category,month]\n"
          "          [--events] [--format table|csv|json]\n"
          "  admin ca init --dir DIR [--name NAME]\n"
          "  admin cert issue --ca DIR --unit CODE --role community|district|admin --out DIR\n"
          "                   [--days N]\n"
          "  admin cert issue --ca DIR --server --hosts localhost,127.0.0.1 --out DIR [--days N]\n"
          "  admin unit add --code CODE --name NAME --level city|district|street|community|grid\n"
          "                 [--parent CODE]\n",
          f);
    cmd_records_usage(f);
    cmd_spool_usage(f);
    cmd_district_usage(f);
    cmd_enroll_usage(f);
    cmd_admin_org_usage(f);
    cmd_admin_cred_usage(f);
    cmd_admin_period_usage(f);
    cmd_admin_ops_usage(f);
    fputs("\n"
          "client.conf holds `key = value` lines (keys: server, creds, cert, key, ca, timeout,\n"
          "spool);\n"
          "relative paths in it are taken from the file's folder.\n"
          "\n"
          "Exit codes:\n"
          "  0  success\n"
          "  1  usage error (bad flags or arguments, bad config file)\n"
          "  2  input file invalid (nothing sent)\n"
          "  3  cannot reach or authenticate to the server (network, TLS, UNAVAILABLE,\n"
          "     UNAUTHENTICATED, DEADLINE_EXCEEDED)\n"
          "  4  the server refused the request (INVALID_ARGUMENT, PERMISSION_DENIED,\n"
          "     ALREADY_EXISTS, NOT_FOUND, FAILED_PRECONDITION, ...)\n"
          "  5  internal error\n",
          f);
}

bool cmd_wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    cli_globals g = {0};
    int i = 1;

    for (; i < argc; i++) {
        int r = cli_global_option(&g, argc, argv, &i);
        if (r < 0)
            return HZ_EXIT_USAGE;
        if (r == 0)
            break;
    }
    if (i >= argc || g.help) {
        if (g.help) {
            main_usage(stdout);
            return HZ_EXIT_OK;
        }
        diag_error("missing command (see huizong --help)");
        return HZ_EXIT_USAGE;
    }
    const char *cmd = argv[i];
    if (strcmp(cmd, "submit") == 0)
        return cmd_submit(&g, argc - i - 1, argv + i + 1);
    if (strcmp(cmd, "summary") == 0)
        return cmd_summary(&g, argc - i - 1, argv + i + 1);
    if (strcmp(cmd, "admin") == 0)
        return cmd_admin(&g, argc - i - 1, argv + i + 1);
    static int (*const modules[])(cli_globals *, int, char **) = {
        cmd_records, cmd_spool, cmd_district, cmd_enroll,
    };
    for (size_t k = 0; k < sizeof modules / sizeof modules[0]; k++) {
        int rc = modules[k](&g, argc - i, argv + i);
        if (rc != CMD_NOT_MINE)
            return rc;
    }
    if (strcmp(cmd, "help") == 0) {
        main_usage(stdout);
        return HZ_EXIT_OK;
    }
    if (cmd[0] == '-')
        diag_error("unknown option %s (see huizong --help)", cmd);
    else
        diag_error("unknown command \"%s\" (see huizong --help for the commands)",
                   cmd);
    return HZ_EXIT_USAGE;
}
