/* The command table: which row a command line names (the longest match,
 * global options between `admin` and its noun, a noun's help row only
 * without a verb), and the help generated from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmd/cmd.h"

/* The row named by the words of `line` (space-separated, at most 8). */
static const cmd_row *find(const char *line, int next, int *args)
{
    static char buf[256];
    char *argv[8], *save = NULL;
    int argc = 0;

    snprintf(buf, sizeof buf, "%s", line);
    for (char *w = strtok_r(buf, " ", &save); w && argc < 8; w = strtok_r(NULL, " ", &save))
        argv[argc++] = w;
    return cmd_find(argc, argv, next, args);
}

static void test_longest_match(void **state)
{
    int args = -1;
    (void)state;
    assert_ptr_equal(find("admin unit add --code x", 1, &args)->run, cmd_admin_unit_add);
    assert_int_equal(args, 3);
    assert_ptr_equal(find("admin unit rename --code x", 1, &args)->run, cmd_admin_unit);
    assert_int_equal(args, 2);
    assert_ptr_equal(find("admin quota bogus", 1, &args)->run, cmd_admin_quota_unknown);
    assert_ptr_equal(find("admin audit --limit 5", 1, &args)->run, cmd_admin_audit);
    assert_int_equal(args, 2);
    assert_ptr_equal(find("admin", 1, &args)->run, cmd_admin_unknown);
    assert_int_equal(args, 1);
    assert_ptr_equal(find("list --year 2020", 1, &args)->run, cmd_list);
    assert_int_equal(args, 1);
    assert_null(find("frobnicate", 1, &args));
}

static void test_words_after_options(void **state)
{
    int args = -1;
    (void)state;
    /* `admin --server h:1 stats`: the noun is argv[3]. */
    assert_ptr_equal(find("admin --server h:1 stats --format json", 3, &args)->run,
                     cmd_admin_stats);
    assert_int_equal(args, 4);
    assert_true(cmd_has_sub("admin"));
    assert_false(cmd_has_sub("list"));
}

static void test_noun_help_rows(void **state)
{
    int args;
    (void)state;
    /* `admin cert --help` is the cert help; with a verb it is not. */
    const cmd_row *r = find("admin cert --help", 1, &args);
    assert_null(r->run);
    assert_ptr_equal(r->help, cmd_admin_cert_help);
    assert_ptr_equal(find("admin cert bogus --help", 1, &args)->help, cmd_admin_help);
    assert_ptr_equal(find("admin cert issue", 1, &args)->run, cmd_admin_cert_issue);
}

static char *printed(void (*print)(FILE *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    print(f);
    fclose(f);
    return buf;
}

static void test_help_lists_every_command(void **state)
{
    static const char *const lines[] = {
        "  submit FILE.json\n", "  admin ca init --dir DIR", "  amend RECORD_ID --file",
        "  import --template", "  config show", "  quotas  (same options)",
        "  enroll --code CODE", "  admin category add|rename|move|retire|list",
        "  admin audit [--unit CODE]", "  admin period lock|unlock",
        "  admin correction reject ID --reason TEXT\n", "  admin stats [--format table|json]\n",
        "Exit codes:\n",
    };
    (void)state;
    char *help = printed(cmd_help);
    for (size_t k = 0; k < sizeof lines / sizeof lines[0]; k++)
        assert_non_null(strstr(help, lines[k]));
    free(help);
}

static void test_area_help_lists_its_commands(void **state)
{
    (void)state;
    char *admin = printed(cmd_admin_help);
    assert_non_null(strstr(admin, "  admin unit rename|move|retire|list"));
    assert_non_null(strstr(admin, "  admin stats [--format table|json]\n"));
    assert_null(strstr(admin, "  admin unit add --code"));
    free(admin);
    char *records = printed(cmd_records_help);
    assert_non_null(strstr(records, "  list --year YYYY"));
    assert_non_null(strstr(records, "  correct RECORD_ID"));
    assert_null(strstr(records, "  sync "));
    free(records);
    char *spool = printed(cmd_spool_help);
    assert_non_null(strstr(spool, "usage:\n  sync "));
    assert_non_null(strstr(spool, "see docs/spool.md)\n"));
    free(spool);
    char *period = printed(cmd_admin_period_help);
    assert_non_null(strstr(period, "  admin quota set --unit CODE"));
    assert_non_null(strstr(period, "  admin correction reject ID --reason TEXT\n"));
    assert_null(strstr(period, "admin stats"));
    free(period);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_longest_match),
        cmocka_unit_test(test_words_after_options),
        cmocka_unit_test(test_noun_help_rows),
        cmocka_unit_test(test_help_lists_every_command),
        cmocka_unit_test(test_area_help_lists_its_commands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
