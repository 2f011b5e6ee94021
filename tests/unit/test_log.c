/* log_escape: what a peer's string looks like on a log line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "log.h"

static void expect_escaped(const char *in, const char *want)
{
    char out[256];

    assert_int_equal(log_escape(out, sizeof out, in), strlen(want));
    assert_string_equal(out, want);
}

static void test_plain_text_unchanged(void **state)
{
    (void)state;
    expect_escaped("hello from huizong/0.1.0 一社区", "hello from huizong/0.1.0 一社区");
    expect_escaped("", "");
    expect_escaped("C:\\path", "C:\\path");
}

static void test_controls_escaped(void **state)
{
    (void)state;
    expect_escaped("a\nb\rc\td", "a\\nb\\rc\\td");
    expect_escaped("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m");
    expect_escaped("\x01\x7f", "\\x01\\x7f");
    expect_escaped("csi \xc2\x9b" "2J", "csi \\u009b2J");  /* C1 CSI as UTF-8 */
    expect_escaped("nbsp \xc2\xa0.", "nbsp \xc2\xa0.");    /* U+00A0 is printable */
}

static void test_invalid_utf8_escaped(void **state)
{
    (void)state;
    expect_escaped("\xff\xfe", "\\xff\\xfe");
    expect_escaped("cut \xe4\xb8", "cut \\xe4\\xb8");
    expect_escaped("\x9b" "2J", "\\x9b2J");               /* raw 8-bit CSI */
}

static void test_truncates_whole_sequences(void **state)
{
    char out[6];

    (void)state;
    assert_int_equal(log_escape(out, sizeof out, "ab\x1b"), 2); /* \x1b does not fit */
    assert_string_equal(out, "ab");
    assert_int_equal(log_escape(out, sizeof out, "一二"), 3);
    assert_string_equal(out, "一");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_unchanged),
        cmocka_unit_test(test_controls_escaped),
        cmocka_unit_test(test_invalid_utf8_escaped),
        cmocka_unit_test(test_truncates_whole_sequences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
