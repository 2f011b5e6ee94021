/* Display widths and strict UTF-8 checks, independent of the locale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "utf8.h"

static void test_width_ascii_and_cjk(void **state)
{
    (void)state;
    assert_int_equal(utf8_width(""), 0);
    assert_int_equal(utf8_width(NULL), 0);
    assert_int_equal(utf8_width("abc"), 3);
    assert_int_equal(utf8_width("社区"), 4);
    assert_int_equal(utf8_width("2020年度社区工作总结"), 4 + 16);
    assert_int_equal(utf8_width("太极拳、剑队"), 12);     /* 、 is U+3001 */
    assert_int_equal(utf8_width("（第一）"), 8);          /* fullwidth parens */
    assert_int_equal(utf8_width("ＡＢ"), 4);              /* fullwidth Latin */
    assert_int_equal(utf8_width("ｱ"), 1);                 /* halfwidth katakana */
    assert_int_equal(utf8_width("한국"), 4);              /* Hangul */
    assert_int_equal(utf8_width("ひらがなカタカナ"), 16);
    assert_int_equal(utf8_width("\xE3\x90\x80"), 2);      /* U+3400, ext A */
    assert_int_equal(utf8_width("\xF0\xA0\x80\x80"), 2);  /* U+20000, ext B */
    assert_int_equal(utf8_width("\xEF\xBF\xA5"), 2);      /* U+FFE5 fullwidth yen */
    assert_int_equal(utf8_width("é"), 1);                 /* precomposed */
    assert_int_equal(utf8_width("Ω·"), 2);
}

static void test_width_zero(void **state)
{
    (void)state;
    assert_int_equal(utf8_width("e\xCC\x81"), 1);        /* e + U+0301 */
    assert_int_equal(utf8_width("a\tb\n"), 2);           /* controls */
    assert_int_equal(utf8_width("\xC2\x85"), 0);         /* C1 control U+0085 */
    assert_int_equal(utf8_width("a\xE2\x80\x8B" "b"), 2); /* zero width space */
}

static void test_width_invalid_bytes(void **state)
{
    (void)state;
    assert_int_equal(utf8_width("\xFF"), 1);
    assert_int_equal(utf8_width("a\xC0\xAF" "b"), 4);   /* overlong: 2 bad bytes */
    assert_int_equal(utf8_width("\xE7\xA4"), 2);        /* truncated 社 */
    assert_int_equal(utf8_width("\xED\xA0\x80"), 3);    /* surrogate */
    assert_int_equal(utf8_width("\xE7\xA4\xBE\xFF"), 3);
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(utf8_valid("", 0));
    assert_true(utf8_valid(NULL, 0));
    assert_true(utf8_valid("abc", 3));
    assert_true(utf8_valid("社区", 6));
    assert_false(utf8_valid("社区", 5));                  /* cut mid-character */
    assert_true(utf8_valid("社区", 3));
    assert_true(utf8_valid("\x7F", 1));
    assert_true(utf8_valid("\xC2\x80", 2));               /* U+0080, smallest 2-byte */
    assert_true(utf8_valid("\xEF\xBF\xBF", 3));           /* U+FFFF */
    assert_true(utf8_valid("\xF4\x8F\xBF\xBF", 4));       /* U+10FFFF */
    assert_true(utf8_valid("\xED\x9F\xBF", 3));           /* U+D7FF, below surrogates */
    assert_true(utf8_valid("\xEE\x80\x80", 3));           /* U+E000, above surrogates */
    assert_true(utf8_valid("a\0b", 3));                   /* NUL is a character */
    assert_false(utf8_valid("\xC0\x80", 2));              /* overlong NUL */
    assert_false(utf8_valid("\xC1\xBF", 2));              /* overlong */
    assert_false(utf8_valid("\xE0\x9F\xBF", 3));          /* overlong 3-byte */
    assert_false(utf8_valid("\xF0\x8F\xBF\xBF", 4));      /* overlong 4-byte */
    assert_false(utf8_valid("\xED\xA0\x80", 3));          /* U+D800 */
    assert_false(utf8_valid("\xED\xBF\xBF", 3));          /* U+DFFF */
    assert_false(utf8_valid("\xF4\x90\x80\x80", 4));      /* U+110000 */
    assert_false(utf8_valid("\xF5\x80\x80\x80", 4));
    assert_false(utf8_valid("\x80", 1));
    assert_false(utf8_valid("\xE7\x41\xBE", 3));          /* bad continuation */
    assert_false(utf8_valid("\xFE", 1));
}

static char *padded(const char *s, size_t width, bool right)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    utf8_fput_padded(f, s, width, right);
    fclose(f);
    return buf;
}

static void test_padding(void **state)
{
    (void)state;
    char *p = padded("社区", 6, false);
    assert_string_equal(p, "社区  ");
    free(p);
    p = padded("社区", 6, true);
    assert_string_equal(p, "  社区");
    free(p);
    p = padded("abcdef", 3, false); /* never truncates */
    assert_string_equal(p, "abcdef");
    free(p);
    p = padded("ab", 2, true);
    assert_string_equal(p, "ab");
    free(p);
    p = padded(NULL, 2, false);
    assert_string_equal(p, "  ");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_width_ascii_and_cjk),
        cmocka_unit_test(test_width_zero),
        cmocka_unit_test(test_width_invalid_bytes),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_padding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
