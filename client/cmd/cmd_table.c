/* The command table of huizong: every command, what runs it, its own help
 * and its lines in `huizong --help` (in table order). A row of fewer words
 * than its neighbours ({"admin", "quota"}) takes what they do not: a missing
 * or unknown verb; one without run ({"admin", "cert"}) only has the noun's
 * help. */
#include "cmd/cmd.h"

#include <string.h>
#include "i18n.h"

static const cmd_row cmd_table[] = {
    {{"submit"}, cmd_submit, cmd_submit_help, N_("  submit FILE.json\n")},
    {{"summary"}, cmd_summary, cmd_summary_help,
     N_("  summary --year YYYY [--unit CODE] [--by community,category,month]\n"
     "          [--events] [--format table|csv|json]\n")},
    {{"admin"}, cmd_admin_unknown, cmd_admin_help, NULL},
    {{"admin", "ca", "init"}, cmd_admin_ca_init, cmd_admin_help,
     N_("  admin ca init --dir DIR [--name NAME]\n")},
    {{"admin", "cert", "issue"}, cmd_admin_cert_issue, cmd_admin_help,
     N_("  admin cert issue --ca DIR --unit CODE --role community|district|admin --out DIR\n"
     "                   [--days N]\n"
     "  admin cert issue --ca DIR --server --hosts localhost,127.0.0.1 --out DIR [--days N]\n")},
    {{"admin", "unit", "add"}, cmd_admin_unit_add, cmd_admin_unit_help,
     N_("  admin unit add --code CODE --name NAME --level city|district|street|community|grid\n"
     "                 [--parent CODE]\n")},
    {{"list"}, cmd_list, cmd_records_help,
     N_("  list --year YYYY [--category CODE] [--versions] [--format table|json]\n"
     "  list --year YYYY --format csv [--type activity|indicator|honor] [--bom]\n")},
    {{"amend"}, cmd_amend, cmd_records_help, N_("  amend RECORD_ID --file RECORD.json\n")},
    {{"retract"}, cmd_retract, cmd_records_help, N_("  retract RECORD_ID --reason TEXT\n")},
    {{"nil"}, cmd_nil, cmd_records_help, N_("  nil --period PERIOD [--indicator CODE,...]\n")},
    {{"correct"}, cmd_correct, cmd_records_help,
     N_("  correct RECORD_ID (--file RECORD.json | --retract) --reason TEXT\n")},
    {{"sync"}, cmd_sync, cmd_spool_help,
     N_("  sync                 send the records waiting in the spool\n"
     "  sync --set-aside UNIT  move the records queued under UNIT to rejected/\n")},
    {{"status"}, cmd_status, cmd_spool_help,
     N_("  status               what waits in the spool, since when, the last error,\n"
     "                       and the batches set aside (rejected, damaged)\n")},
    {{"import"}, cmd_import, cmd_import_help,
     N_("  import FILE.csv --type activity|indicator|honor [--encoding auto|utf-8|gb18030]\n"
     "         [--skip-invalid] [--check] [--refresh-taxonomy]\n"
     "  import --template --type activity|indicator|honor [--english] [--bom]\n")},
    {{"taxonomy"}, cmd_taxonomy, cmd_taxonomy_help,
     N_("  taxonomy refresh|show  the server's categories and indicators, cached for import\n")},
    {{"config"}, cmd_config, cmd_spool_help,
     N_("  config show          the settings in effect and where each came from\n"
     "  (global option --spool DIR, config key spool: the spool folder,\n"
     "   default ~/.local/share/huizong/spool; see docs/spool.md)\n")},
    {{"completeness"}, cmd_completeness, cmd_completeness_help,
     N_("  completeness (--year YYYY | --period YYYY-MM | --from YYYY-MM --to YYYY-MM) [--unit CODE]\n"
     "          [--format table|csv|json]  reports expected, on time, late, nil, missing\n")},
    {{"quotas"}, cmd_quotas, cmd_quotas_help,
     N_("  quotas  (same options)    quota met or missed per community and indicator\n")},
    {{"report"}, cmd_report, cmd_report_help,
     N_("  report  (--year YYYY | --from YYYY-MM --to YYYY-MM) [--unit CODE]\n"
     "          [--format md|html|json] [--out FILE]\n"
     "                          the consolidated year-end work report (工作总结)\n")},
    {{"export"}, cmd_export, cmd_export_help,
     N_("  export  (--year YYYY | --from YYYY-MM --to YYYY-MM) [--unit CODE]\n"
     "          --format csv|json|dhis2|adx [--out FILE]\n"
     "                          the records for other systems, streamed\n")},
    {{"pull"}, cmd_pull, cmd_pull_help,
     N_("  pull    [--since CURSOR] [--unit CODE] [--out FILE]\n"
     "                          records created, amended or retracted after CURSOR\n")},
    {{"enroll"}, cmd_enroll, cmd_enroll_help,
     N_("  enroll --code CODE --out DIR --ca CA.crt [--server HOST:PORT]\n"
     "         [--unit CODE --role ROLE]\n")},
    {{"admin", "unit"}, cmd_admin_unit, cmd_admin_unit_help,
     N_("  admin unit rename|move|retire|list ...      (huizong admin unit --help)\n")},
    {{"admin", "category"}, cmd_admin_category, cmd_admin_category_help,
     N_("  admin category add|rename|move|retire|list|section  (huizong admin category --help)\n")},
    {{"admin", "indicator"}, cmd_admin_indicator, cmd_admin_indicator_help,
     N_("  admin indicator add|update|retire|list      (huizong admin indicator --help)\n")},
    {{"admin", "enroll"}, NULL, cmd_admin_enroll_help, NULL},
    {{"admin", "enroll", "create"}, cmd_admin_enroll_create, cmd_admin_enroll_help,
     N_("  admin enroll create --unit CODE --role community|district|admin [--expires 72h]\n")},
    {{"admin", "cert"}, NULL, cmd_admin_cert_help, NULL},
    {{"admin", "cert", "list"}, cmd_admin_cert_list, cmd_admin_cert_help,
     N_("  admin cert list [--unit CODE] [--format table|json]\n")},
    {{"admin", "cert", "revoke"}, cmd_admin_cert_revoke, cmd_admin_cert_help,
     N_("  admin cert revoke --fingerprint FP | --unit CODE [--reason TEXT]\n")},
    {{"admin", "audit"}, cmd_admin_audit, cmd_admin_audit_help,
     N_("  admin audit [--unit CODE] [--since 2026-11-01|72h] [--limit N]\n"
     "              [--format table|json]\n")},
    {{"admin", "quota"}, cmd_admin_quota_unknown, cmd_admin_period_help, NULL},
    {{"admin", "quota", "set"}, cmd_admin_quota_set, cmd_admin_period_help,
     N_("  admin quota set --unit CODE --indicator CODE --period-type month|quarter|year\n"
     "                  --min N --from PERIOD\n")},
    {{"admin", "quota", "list"}, cmd_admin_quota_list, cmd_admin_period_help,
     N_("  admin quota list [--unit CODE] [--indicator CODE] [--history] [--format table|json]\n")},
    {{"admin", "deadline"}, cmd_admin_deadline_unknown, cmd_admin_period_help, NULL},
    {{"admin", "deadline", "set"}, cmd_admin_deadline_set, cmd_admin_period_help,
     N_("  admin deadline set --indicators CODE,... --day N [--unit CODE]\n")},
    {{"admin", "deadline", "list"}, cmd_admin_deadline_list, cmd_admin_period_help,
     N_("  admin deadline list [--unit CODE]\n")},
    {{"admin", "period"}, cmd_admin_period_unknown, cmd_admin_period_help, NULL},
    {{"admin", "period", "lock"}, cmd_admin_period_lock, cmd_admin_period_help,
     N_("  admin period lock|unlock --unit CODE --period PERIOD\n")},
    {{"admin", "period", "unlock"}, cmd_admin_period_unlock, cmd_admin_period_help, NULL},
    {{"admin", "period", "list"}, cmd_admin_period_list, cmd_admin_period_help,
     N_("  admin period list [--unit CODE]\n")},
    {{"admin", "correction"}, cmd_admin_correction_unknown, cmd_admin_period_help, NULL},
    {{"admin", "correction", "list"}, cmd_admin_correction_list, cmd_admin_period_help,
     N_("  admin correction list [--status pending|approved|rejected|all] [--unit CODE]\n"
     "                        [--format table|json]\n")},
    {{"admin", "correction", "show"}, cmd_admin_correction_show, cmd_admin_period_help,
     N_("  admin correction show ID\n")},
    {{"admin", "correction", "approve"}, cmd_admin_correction_approve, cmd_admin_period_help,
     N_("  admin correction approve ID [--reason TEXT]\n")},
    {{"admin", "correction", "reject"}, cmd_admin_correction_reject, cmd_admin_period_help,
     N_("  admin correction reject ID --reason TEXT\n")},
    {{"admin", "stats"}, cmd_admin_stats, cmd_admin_stats_help,
     N_("  admin stats [--format table|json]\n")},
    {{"help"}, cmd_help_run, cmd_help, NULL},
};

#define CMD_ROWS (sizeof cmd_table / sizeof cmd_table[0])

static size_t cmd_word_count(const cmd_row *r)
{
    size_t n = 0;

    while (n < 3 && r->words[n])
        n++;
    return n;
}

const cmd_row *cmd_find(int argc, char **argv, int next, int *args)
{
    const cmd_row *best = NULL;
    size_t best_n = 0;

    for (size_t k = 0; argc > 0 && k < CMD_ROWS; k++) {
        size_t n = cmd_word_count(&cmd_table[k]);
        bool match = strcmp(argv[0], cmd_table[k].words[0]) == 0 && n > best_n;

        for (size_t w = 1; match && w < n; w++)
            match = next + (int)w - 1 < argc &&
                    strcmp(argv[next + (int)w - 1], cmd_table[k].words[w]) == 0;
        /* A noun's help only: not when a verb follows. */
        if (match && !cmd_table[k].run)
            match = next + (int)n - 1 >= argc || argv[next + (int)n - 1][0] == '-';
        if (match) {
            best = &cmd_table[k];
            best_n = n;
        }
    }
    if (best)
        *args = next + (int)best_n - 1;
    return best;
}

bool cmd_has_sub(const char *word)
{
    for (size_t k = 0; k < CMD_ROWS; k++)
        if (strcmp(cmd_table[k].words[0], word) == 0 && cmd_table[k].words[1])
            return true;
    return false;
}

/* "admin quota set" names the row with those words. */
static bool cmd_named(const cmd_row *r, const char *name)
{
    char buf[96] = "";

    for (size_t w = 0; w < cmd_word_count(r); w++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", w ? " " : "", r->words[w]);
    return strcmp(buf, name) == 0;
}

void cmd_usage_lines(FILE *f, const char *from, const char *to)
{
    bool on = false;

    for (size_t k = 0; k < CMD_ROWS; k++) {
        on = on || cmd_named(&cmd_table[k], from);
        if (on && cmd_table[k].usage)
            fputs(_(cmd_table[k].usage), f);
        if (on && cmd_named(&cmd_table[k], to))
            return;
    }
}

void cmd_help(FILE *f)
{
    fputs(_("usage: huizong [GLOBAL OPTIONS] COMMAND [ARGS]\n"
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
          "Commands:\n"),
          f);
    cmd_usage_lines(f, "submit", "help");
    fputs(_("\n"
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
          "  5  internal error\n"),
          f);
}

int cmd_help_run(cli_globals *g, int argc, char **argv)
{
    (void)g, (void)argc, (void)argv;
    cmd_help(stdout);
    return HZ_EXIT_OK;
}

bool cmd_wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    return false;
}
