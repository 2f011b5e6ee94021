/* `key = value` parsing: syntax, quoting, comments, errors with line numbers,
 * files, and the typed value helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "conf.h"

typedef struct {
    int n;
    char keys[16][64];
    char values[16][256];
    int lines[16];
    const char *reject_key; /* the callback refuses this key */
    const char *reject_msg;
} seen;

static int collect(void *ctx, const char *key, const char *value, int lineno, char *err,
                   size_t errlen)
{
    seen *s = ctx;
    if (s->reject_key && strcmp(key, s->reject_key) == 0) {
        snprintf(err, errlen, "%s", s->reject_msg);
        return -1;
    }
    if (s->n < 16) {
        snprintf(s->keys[s->n], sizeof s->keys[0], "%s", key);
        snprintf(s->values[s->n], sizeof s->values[0], "%s", value);
        s->lines[s->n] = lineno;
    }
    s->n++;
    return 0;
}

static int parse(const char *text, seen *s, char *err, size_t errlen)
{
    return conf_parse_buffer(text, strlen(text), collect, s, err, errlen);
}

static void test_basic(void **state)
{
    (void)state;
    const char *text = "# huizongd.conf\n"
                       "\n"
                       "listen = 0.0.0.0:7443\n"
                       "  max_frame_bytes=1048576   \n"
                       "\tidle_timeout = 30s # half a minute\n"
                       "empty =\n"
                       "path = /srv/a#b\n";
    seen s = { 0 };
    char err[256] = "";
    assert_int_equal(parse(text, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 5);
    assert_string_equal(s.keys[0], "listen");
    assert_string_equal(s.values[0], "0.0.0.0:7443");
    assert_int_equal(s.lines[0], 3);
    assert_string_equal(s.keys[1], "max_frame_bytes");
    assert_string_equal(s.values[1], "1048576");
    assert_string_equal(s.values[2], "30s");
    assert_int_equal(s.lines[2], 5);
    assert_string_equal(s.keys[3], "empty");
    assert_string_equal(s.values[3], "");
    assert_string_equal(s.values[4], "/srv/a#b"); /* '#' inside a word is data */
}

static void test_quoted(void **state)
{
    (void)state;
    const char *text = "name = \"  街道 # not a comment  \"\n"
                       "esc = \"say \\\"hi\\\" \\\\ there\"   # comment\n"
                       "blank = \"\"\n";
    seen s = { 0 };
    char err[256] = "";
    assert_int_equal(parse(text, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.values[0], "  街道 # not a comment  ");
    assert_string_equal(s.values[1], "say \"hi\" \\ there");
    assert_string_equal(s.values[2], "");
}

static void test_crlf_bom_no_final_newline(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF" "a = 1\r\nb = \"x\"\r\nc = 3";
    seen s = { 0 };
    char err[256] = "";
    assert_int_equal(parse(text, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.keys[0], "a");
    assert_string_equal(s.values[0], "1");
    assert_string_equal(s.values[1], "x");
    assert_string_equal(s.values[2], "3");
    assert_int_equal(s.lines[2], 3);
}

static void expect_error(const char *text, const char *want)
{
    seen s = { 0 };
    char err[256] = "";
    assert_int_equal(parse(text, &s, err, sizeof err), -1);
    if (strstr(err, want) == NULL)
        fail_msg("error \"%s\" lacks \"%s\"", err, want);
}

static void test_errors_name_lines(void **state)
{
    (void)state;
    expect_error("a = 1\nKey = 2\n", "line 2: expected a key");
    expect_error("a = 1\n\nb 2\n", "line 3: expected '=' after key \"b\"");
    expect_error("a = \"open\n", "line 1: missing closing quote");
    expect_error("# c\na = \"x\" y\n", "line 2: unexpected text after closing quote");
    expect_error("a = \"bad \\n escape\"\n", "line 1: unknown escape");
    expect_error("= value\n", "line 1: expected a key");
    expect_error("a.b = 1\n", "line 1: expected '=' after key \"a\"");
}

static void test_nul_and_long_lines(void **state)
{
    (void)state;
    seen s = { 0 };
    char err[256] = "";
    const char nul[] = "a = 1\nb = x\0y\n";
    assert_int_equal(conf_parse_buffer(nul, sizeof nul - 1, collect, &s, err, sizeof err), -1);
    assert_string_equal(err, "line 2: NUL byte");

    size_t n = 9000;
    char *big = malloc(n + 1);
    memset(big, 'x', n);
    memcpy(big, "k = ", 4);
    big[n] = '\0';
    assert_int_equal(parse(big, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 1: longer than"));
    free(big);

    char longkey[100];
    memset(longkey, 'k', 70);
    strcpy(longkey + 70, " = 1");
    assert_int_equal(parse(longkey, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "key longer"));
}

static void test_callback_error_gets_line(void **state)
{
    (void)state;
    seen s = { 0 };
    char err[256] = "";
    s.reject_key = "bogus";
    s.reject_msg = "unknown key \"bogus\"";
    assert_int_equal(parse("a = 1\nbogus = 2\nc = 3\n", &s, err, sizeof err), -1);
    assert_string_equal(err, "line 2: unknown key \"bogus\"");
    assert_int_equal(s.n, 1); /* stopped at the error */

    seen t = { 0 };
    t.reject_key = "bogus";
    t.reject_msg = "line 2: already numbered";
    assert_int_equal(parse("a = 1\nbogus = 2\n", &t, err, sizeof err), -1);
    assert_string_equal(err, "line 2: already numbered");
}

static void test_empty_input(void **state)
{
    (void)state;
    seen s = { 0 };
    char err[16] = "";
    assert_int_equal(conf_parse_buffer("", 0, collect, &s, err, sizeof err), 0);
    assert_int_equal(conf_parse_buffer(NULL, 0, collect, &s, err, sizeof err), 0);
    assert_int_equal(parse("\n\n   \n# only comments\n", &s, err, sizeof err), 0);
    assert_int_equal(s.n, 0);
}

static void test_file(void **state)
{
    (void)state;
    char path[] = "/tmp/hz-test-conf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "a = 1\nb = 2\n!oops\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);

    seen s = { 0 };
    char err[512] = "";
    assert_int_equal(conf_parse_file(path, collect, &s, err, sizeof err), -1);
    assert_int_equal(s.n, 2);
    char want[600];
    snprintf(want, sizeof want, "%s: line 3: expected a key", path);
    assert_non_null(strstr(err, want));
    unlink(path);

    assert_int_equal(conf_parse_file(path, collect, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "No such file"));

    assert_int_equal(conf_parse_file("/tmp", collect, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "/tmp: not a regular file"));
}

static void test_bool(void **state)
{
    (void)state;
    int v = -1;
    assert_int_equal(conf_parse_bool("true", &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(conf_parse_bool("Off", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(conf_parse_bool("yes", &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(conf_parse_bool("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(conf_parse_bool("maybe", &v), -1);
    assert_int_equal(conf_parse_bool("", &v), -1);
    assert_int_equal(conf_parse_bool(NULL, &v), -1);
}

static void test_uint(void **state)
{
    (void)state;
    unsigned long v = 0;
    assert_int_equal(conf_parse_uint("0", 10, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(conf_parse_uint("1048576", 1ul << 30, &v), 0);
    assert_int_equal(v, 1048576);
    assert_int_equal(conf_parse_uint("10", 10, &v), 0);
    assert_int_equal(conf_parse_uint("11", 10, &v), -1);
    assert_int_equal(conf_parse_uint("-1", 10, &v), -1);
    assert_int_equal(conf_parse_uint(" 5", 10, &v), -1);
    assert_int_equal(conf_parse_uint("5 ", 10, &v), -1);
    assert_int_equal(conf_parse_uint("0x10", 100, &v), -1);
    assert_int_equal(conf_parse_uint("", 10, &v), -1);
    assert_int_equal(conf_parse_uint("99999999999999999999999", (unsigned long)-1, &v), -1);
}

static void test_duration(void **state)
{
    (void)state;
    unsigned long v = 0;
    assert_int_equal(conf_parse_duration_ms("250ms", &v), 0);
    assert_int_equal(v, 250);
    assert_int_equal(conf_parse_duration_ms("30s", &v), 0);
    assert_int_equal(v, 30000);
    assert_int_equal(conf_parse_duration_ms("5m", &v), 0);
    assert_int_equal(v, 300000);
    assert_int_equal(conf_parse_duration_ms("72h", &v), 0);
    assert_int_equal(v, 72ul * 3600 * 1000);
    assert_int_equal(conf_parse_duration_ms("2d", &v), 0);
    assert_int_equal(v, 2ul * 86400 * 1000);
    assert_int_equal(conf_parse_duration_ms("15", &v), 0);
    assert_int_equal(v, 15000);
    assert_int_equal(conf_parse_duration_ms("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(conf_parse_duration_ms("5x", &v), -1);
    assert_int_equal(conf_parse_duration_ms("s", &v), -1);
    assert_int_equal(conf_parse_duration_ms("1.5s", &v), -1);
    assert_int_equal(conf_parse_duration_ms("-3s", &v), -1);
    assert_int_equal(conf_parse_duration_ms("3 s", &v), -1);
    assert_int_equal(conf_parse_duration_ms("5msx", &v), -1);
    assert_int_equal(conf_parse_duration_ms("", &v), -1);
    assert_int_equal(conf_parse_duration_ms("99999999999999999999d", &v), -1);
    assert_int_equal(conf_parse_duration_ms("18446744073709551615d", &v), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_crlf_bom_no_final_newline),
        cmocka_unit_test(test_errors_name_lines),
        cmocka_unit_test(test_nul_and_long_lines),
        cmocka_unit_test(test_callback_error_gets_line),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_file),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_uint),
        cmocka_unit_test(test_duration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
