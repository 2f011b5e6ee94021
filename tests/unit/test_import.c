/* Importing sheets: RFC 4180 CSV, encodings, and the values people type
 * (dates, periods, counts, names), each accepted form and each malformed one
 * with its message. The import code is pure; the test links hz_client. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "import/import_csv.h"
#include "import/import_map.h"
#include "import/import_text.h"
#include "import/import_value.h"
#include "import/taxonomy.h"

static void parse_ok(const char *text, csv_table *t)
{
    char err[256] = "";
    if (csv_parse(text, strlen(text), t, err, sizeof err) != 0)
        fail_msg("unexpected error: %s", err);
}

static void parse_err(const char *text, const char *want)
{
    csv_table t;
    char err[256] = "";
    assert_int_equal(csv_parse(text, strlen(text), &t, err, sizeof err), -1);
    assert_string_equal(err, want);
    csv_free(&t);
}

static void test_csv_rfc4180(void **state)
{
    (void)state;
    csv_table t;
    parse_ok("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n2,\"two\r\nlines\",\r\nlast,row", &t);
    assert_int_equal(t.n, 4);
    assert_int_equal(t.rows[0].n, 3);
    assert_string_equal(t.rows[1].fields[1], "x, y");
    assert_string_equal(t.rows[1].fields[2], "say \"hi\"");
    assert_int_equal(t.rows[1].line, 2);
    assert_string_equal(t.rows[2].fields[1], "two\nlines");
    assert_string_equal(t.rows[2].fields[2], "");
    assert_int_equal(t.rows[2].line, 4);
    assert_int_equal(t.rows[3].line, 6); /* after the line break inside quotes */
    assert_string_equal(t.rows[3].fields[1], "row");
    csv_free(&t);
    parse_ok("", &t);
    assert_int_equal(t.n, 0);
    csv_free(&t);
    parse_ok("a,\"\"\n", &t);
    assert_int_equal(t.rows[0].n, 2);
    assert_string_equal(t.rows[0].fields[1], "");
    csv_free(&t);
}

static void test_csv_malformed(void **state)
{
    (void)state;
    parse_err("a,b\n1,\"open\n2,3\n", "line 2, column 2: quoted field never closed (a \" is missing)");
    parse_err("a,b\n1,\"x\"y\n", "line 2, column 2: text after the closing quote of a field "
              "(a quote inside a quoted field must be doubled: \"\")");
}

static void test_decode(void **state)
{
    (void)state;
    char *out, err[256];
    size_t n;
    const char *used;
    /* 日期 in GB18030 */
    const char gb[] = "\xC8\xD5\xC6\xDA,x\n";
    assert_int_equal(import_decode(gb, strlen(gb), NULL, &out, &n, &used, err, sizeof err), 0);
    assert_string_equal(out, "日期,x\n");
    assert_string_equal(used, "GB18030");
    free(out);
    const char bom[] = "\xEF\xBB\xBF日期\n";
    assert_int_equal(import_decode(bom, strlen(bom), "auto", &out, &n, &used, err, sizeof err), 0);
    assert_string_equal(out, "日期\n");
    assert_string_equal(used, "UTF-8 with BOM");
    free(out);
    assert_int_equal(import_decode(gb, strlen(gb), "utf-8", &out, &n, &used, err, sizeof err), -1);
    assert_string_equal(err, "line 1: bytes C8 D5 C6 DA are not UTF-8 (a file saved by Excel as "
                        "\"CSV\" is GB18030: try --encoding gb18030)");
    /* The first bad byte is named, not one before it: a stray continuation
     * byte after "a" (61 9F 80 F4) is at offset 1. */
    assert_int_equal(import_decode("a\x9F\x80\xF4", 4, "utf-8", &out, &n, &used, err, sizeof err), -1);
    assert_string_equal(err, "line 1: bytes 9F 80 F4 are not UTF-8 (a file saved by Excel as "
                        "\"CSV\" is GB18030: try --encoding gb18030)");
    const char junk[] = "ok\nok\n\xFF\xFF\xFF\n";
    assert_int_equal(import_decode(junk, strlen(junk), NULL, &out, &n, &used, err, sizeof err), -1);
    assert_string_equal(err, "line 3: bytes FF FF FF are neither UTF-8 nor GB18030 (save the "
                        "sheet as \"CSV UTF-8\", or give --encoding)");
    assert_int_equal(import_decode("\xFF\xFEx\0", 4, NULL, &out, &n, &used, err, sizeof err), -1);
    assert_non_null(strstr(err, "UTF-16"));
    assert_int_equal(import_decode("a\nb\0c", 5, NULL, &out, &n, &used, err, sizeof err), -1);
    assert_string_equal(err, "line 2: a NUL byte: not a text file");
    assert_int_equal(import_encoding_known("GBK"), 0);
    assert_int_equal(import_encoding_known("latin1"), -1);
}

static void test_dates(void **state)
{
    (void)state;
    static const char *const good[][2] = {
        {"2020-04-14", "2020-04-14"}, {"2020/4/14", "2020-04-14"}, {"2020.4.14", "2020-04-14"},
        {"2020年4月14日", "2020-04-14"}, {"2020-4-4", "2020-04-04"}, {"2020/4/14 0:00", "2020-04-14"},
        {"2020/4/14 12:30:00", "2020-04-14"}, {"2020-02-29", "2020-02-29"},
    };
    static const char *const bad[] = {"2020-13-01", "2020/2/30", "2019-02-29", "20200414",
                                      "2020-4/14", "2020年4月", "2020", "昨天", "2020-04-14x",
                                      "14/4/2020", "", "2020年4月14", "2020/4/14 25"};
    char out[11];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (iv_date(good[i][0], false, out) != 0)
            fail_msg("rejected %s", good[i][0]);
        assert_string_equal(out, good[i][1]);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (iv_date(bad[i], false, out) == 0)
            fail_msg("accepted %s as %s", bad[i], out);
    assert_int_equal(iv_date("2020年6月", true, out), 0);
    assert_string_equal(out, "2020-06");
    assert_int_equal(iv_date("2020", true, out), 0);
    assert_string_equal(out, "2020");
    assert_int_equal(iv_date("2020/6", true, out), 0);
    assert_string_equal(out, "2020-06");
    assert_int_equal(iv_date("2020-13", true, out), -1);
}

static void test_periods(void **state)
{
    (void)state;
    static const char *const good[][2] = {
        {"2020-06", "2020-06"}, {"2020/6", "2020-06"}, {"2020年6月", "2020-06"},
        {"2020-Q2", "2020-Q2"}, {"2020Q2", "2020-Q2"}, {"2020年第二季度", "2020-Q2"},
        {"2020年4季度", "2020-Q4"}, {"2020", "2020"}, {"2020年", "2020"},
    };
    static const char *const bad[] = {"2020-13", "2020-Q5", "2020年第五季度", "2020-06-01",
                                      "六月", "2020-0", ""};
    char out[8];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (iv_period(good[i][0], out) != 0)
            fail_msg("rejected %s", good[i][0]);
        assert_string_equal(out, good[i][1]);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (iv_period(bad[i], out) == 0)
            fail_msg("accepted %s as %s", bad[i], out);
}

static void test_counts_and_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int64_t n;
        bool at_least;
    } good[] = {{"40", 40, false}, {"40人", 40, false}, {"40余人", 40, true},
                {"40+", 40, true},  {"40多人", 40, true}, {"40人以上", 40, true},
                {"0", 0, false}};
    static const char *const bad[] = {"四十", "-5", "40.5", "约40人", "40 人", "", "+40",
                                      "99999999999999999999"};
    int64_t n;
    bool al;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (iv_participants(good[i].s, &n, &al) != 0)
            fail_msg("rejected %s", good[i].s);
        assert_int_equal(n, good[i].n);
        assert_int_equal(al, good[i].at_least);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (iv_participants(bad[i], &n, &al) == 0)
            fail_msg("accepted %s", bad[i]);
    double v;
    assert_int_equal(iv_number("82", &v), 0);
    assert_true(v == 82);
    assert_int_equal(iv_number("1,234.5", &v), 0);
    assert_true(v == 1234.5);
    assert_int_equal(iv_number("82篇", &v), 0);
    assert_true(v == 82);
    assert_int_equal(iv_number("abc", &v), -1);
    assert_int_equal(iv_number("-3", &v), -1);
    assert_int_equal(iv_number("1.2.3", &v), -1);
    assert_int_equal(iv_number("82斤", &v), -1);
}

/* The server's taxonomy adds names (and renames); without it, the built-in. */
static void test_names_taxonomy(void **state)
{
    json_t *t = taxonomy_parse(
        "{\"fetched\": 1, \"categories\": [{\"code\": \"elder_care\", \"name\": \"敬老助老\","
        " \"parent\": \"\", \"retired\": false}], \"indicators\": [{\"code\": \"visits\","
        " \"name\": \"走访户数\", \"unit\": \"户\", \"retired\": false}]}");
    const char *code;
    (void)state;

    assert_non_null(t);
    assert_null(taxonomy_parse("{\"categories\": []}")); /* not a taxonomy */
    assert_int_equal(iv_category("敬老助老", &code), -1);
    iv_use_taxonomy(t);
    assert_int_equal(iv_category("敬老助老", &code), 0);
    assert_string_equal(code, "elder_care");
    assert_int_equal(iv_category("消防宣传", &code), 0); /* built-in names still work */
    assert_string_equal(code, "fire");
    assert_int_equal(iv_indicator("走访户数", &code), 0);
    assert_string_equal(code, "visits");
    iv_use_taxonomy(NULL);
    assert_int_equal(iv_category("敬老助老", &code), -1);
    json_decref(t);
}

static void test_names(void **state)
{
    (void)state;
    const char *code;
    assert_int_equal(iv_category("消防宣传", &code), 0);
    assert_string_equal(code, "fire");
    assert_int_equal(iv_category("法制/消防/禁毒宣传", &code), 0);
    assert_string_equal(code, "education");
    assert_int_equal(iv_category("newcat", &code), 0); /* admin-added: the server decides */
    assert_string_equal(code, "newcat");
    assert_int_equal(iv_category("消防", &code), -1);
    assert_int_equal(iv_category("Fire", &code), -1);
    assert_int_equal(iv_indicator("简讯", &code), 0);
    assert_string_equal(code, "briefs");
    assert_int_equal(iv_indicator("不存在", &code), -1);
    assert_int_equal(iv_level("区级", &code), 0);
    assert_string_equal(code, "district");
    assert_int_equal(iv_level("国家", &code), 0);
    assert_string_equal(code, "national");
    assert_int_equal(iv_level("Province", &code), 0);
    assert_string_equal(code, "province");
    assert_int_equal(iv_level("乡级", &code), -1);
    char **items;
    int k = iv_list(" 消防中队、物业公司 ，学校;; 街道 /", &items);
    assert_int_equal(k, 4);
    assert_string_equal(items[0], "消防中队");
    assert_string_equal(items[1], "物业公司");
    assert_string_equal(items[2], "学校");
    assert_string_equal(items[3], "街道");
    for (int i = 0; i < k; i++)
        free(items[i]);
    free(items);
    char s[] = "\xE3\x80\x80 标题 \t";
    assert_string_equal(iv_trim(s), "标题");
}

static void map(const char *text, import_kind k, import_sheet *s, int want_rc)
{
    csv_table t;
    parse_ok(text, &t);
    assert_int_equal(import_map(s, &t, k, "f.csv", NULL, NULL), want_rc);
    csv_free(&t);
}

static void test_map_headers(void **state)
{
    (void)state;
    import_sheet s;
    map("日期,类别,标题,备注,date\n", IMPORT_ACTIVITY, &s, -1);
    assert_int_equal(s.n_errors, 2);
    assert_int_equal(s.errors[0].col, 4);
    assert_non_null(strstr(s.errors[0].text, "unknown column \"备注\""));
    assert_int_equal(s.errors[1].col, 5);
    assert_string_equal(s.errors[1].text, "column \"date\" repeats the date column");
    import_sheet_free(&s);
    map("日期,类别,标题,参与人数 (人),value(x)\n", IMPORT_ACTIVITY, &s, -1);
    assert_int_equal(s.n_errors, 1);
    assert_int_equal(s.field_of[3], 6); /* participants */
    assert_int_equal(s.errors[0].col, 5);
    import_sheet_free(&s);
    map("标题\n", IMPORT_ACTIVITY, &s, -1);
    assert_int_equal(s.n_errors, 2);
    assert_string_equal(s.errors[0].text, "no 日期 (date) column; the header row must name it");
    import_sheet_free(&s);
    map("Indicator,PERIOD,数值（篇）\n简讯,2020年3月,3\n", IMPORT_INDICATOR, &s, 0);
    assert_int_equal(s.n_errors, 0);
    assert_int_equal(s.n, 1);
    json_t *r = json_array_get(s.records, 0);
    assert_string_equal(json_string_value(json_object_get(r, "indicator")), "briefs");
    assert_string_equal(json_string_value(json_object_get(r, "period")), "2020-03");
    import_sheet_free(&s);
}

static void test_map_rows(void **state)
{
    (void)state;
    import_sheet s;
    map("日期,类别,标题,参与人数\n"
        "2020/4/14,消防宣传,讲座,40余人\n"
        "2020-13-01,xx!,,四十\n"
        "2020-01-01,fire,短行\n",
        IMPORT_ACTIVITY, &s, 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.lines[0], 2);
    assert_int_equal(s.lines[1], 4);
    json_t *r = json_array_get(s.records, 0);
    assert_int_equal(json_integer_value(json_object_get(r, "participants")), 40);
    assert_true(json_is_true(json_object_get(r, "participants_at_least")));
    assert_int_equal(s.n_errors, 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(s.errors[i].line, 3);
    assert_non_null(strstr(s.errors[0].text, "invalid date \"2020-13-01\""));
    assert_non_null(strstr(s.errors[1].text, "unknown category \"xx!\""));
    assert_non_null(strstr(s.errors[2].text, "invalid number of participants \"四十\""));
    assert_string_equal(s.errors[3].text, "empty; title is required");
    assert_int_equal(s.errors[3].col, 3);
    import_sheet_free(&s);
}

static void test_template(void **state)
{
    (void)state;
    char buf[256] = "";
    FILE *f = fmemopen(buf, sizeof buf, "w");
    import_template(f, IMPORT_ACTIVITY, false);
    import_template(f, IMPORT_HONOR, true);
    fclose(f);
    assert_string_equal(buf, "日期,类别,标题,地点,参与人数,共建单位,组织者,简介,记录编号\r\n"
                             "date,title,level,issuer,recipient,category,record_id\r\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_rfc4180),   cmocka_unit_test(test_csv_malformed),
        cmocka_unit_test(test_decode),        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_periods),       cmocka_unit_test(test_counts_and_numbers),
        cmocka_unit_test(test_names),         cmocka_unit_test(test_names_taxonomy),         cmocka_unit_test(test_map_headers),
        cmocka_unit_test(test_map_rows),      cmocka_unit_test(test_template),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
