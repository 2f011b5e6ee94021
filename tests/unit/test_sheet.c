/* People's tables: CSV with a byte-order mark or in GB18030, Chinese or
 * field-name headers, 是/否 and kinds in Chinese, one file per table; and
 * the same table as a workbook, read back by the .xlsx importer with its
 * numbers and dates typed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "import/import_xlsx.h"
#include "render/sheet.h"

static char dir[] = "/tmp/hz-sheet-XXXXXX";

static const sheet_col cols[] = {
    {"kind", "类型", SHEET_KIND},       {"date", "日期", SHEET_DATE},
    {"title", "标题", SHEET_TEXT},      {"participants", "参与人数", SHEET_INT},
    {"participants_at_least", "人数为下限", SHEET_BOOL}, {"value", "数值", SHEET_NUM},
};
static const sheet_table table = {"activity", "活动", cols, 6};
static const char *const row1[] = {"activity", "2020-04-12", "消防讲座, \"安全\"", "40", "true", ""};
static const char *const row2[] = {"honor", "2020-06", "一等奖", "", "", "2.5"};

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[64];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static char *write_table(const sheet_style *st, const char *name, bool one, size_t *len)
{
    char path[256], err[256], file[300];
    sheet_book *b;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    b = sheet_open(st, path, one, err, sizeof err);
    assert_non_null(b);
    int id = sheet_begin(b, &table);
    assert_int_equal(id, 0);
    assert_int_equal(sheet_row(b, id, row1), 0);
    assert_int_equal(sheet_row(b, id, row2), 0);
    assert_int_equal(sheet_close(b, NULL, err, sizeof err), 0);
    if (one || st->xlsx)
        return slurp(path, len);
    sheet_file_name(path, "activity", file, sizeof file);
    return slurp(file, len);
}

static void test_file_names(void **state)
{
    char buf[128];
    (void)state;

    sheet_file_name("out/summary.csv", "activity", buf, sizeof buf);
    assert_string_equal(buf, "out/summary-activity.csv");
    sheet_file_name("a.b/summary", "honor", buf, sizeof buf);
    assert_string_equal(buf, "a.b/summary-honor.csv");
}

static void test_csv_for_excel(void **state)
{
    sheet_style st = {.bom = true};
    size_t len;
    (void)state;

    char *csv = write_table(&st, "t.csv", false, &len);
    assert_string_equal(csv, "\xEF\xBB\xBF类型,日期,标题,参与人数,人数为下限,数值\r\n"
                             "活动,2020-04-12,\"消防讲座, \"\"安全\"\"\",40,是,\r\n"
                             "荣誉,2020-06,一等奖,,,2.5\r\n");
    free(csv);
    st = (sheet_style){.english = true};
    csv = write_table(&st, "en.csv", true, &len);
    assert_string_equal(csv, "kind,date,title,participants,participants_at_least,value\r\n"
                             "activity,2020-04-12,\"消防讲座, \"\"安全\"\"\",40,true,\r\n"
                             "honor,2020-06,一等奖,,,2.5\r\n");
    free(csv);
}

static void test_csv_gb18030(void **state)
{
    sheet_style st = {.encoding = SHEET_GB18030, .bom = true};
    size_t len;
    (void)state;

    char *csv = write_table(&st, "gb.csv", true, &len);
    /* 类型 in GB18030 (GBK): C0 E0 D0 CD; no byte-order mark. */
    assert_memory_equal(csv, "\xC0\xE0\xD0\xCD,", 5);
    assert_non_null(strstr(csv, "\xBB\xEE\xB6\xAF,2020-04-12")); /* 活动 */
    free(csv);
}

static void test_one_table_to_a_file_only(void **state)
{
    sheet_style st = {.bom = true};
    char err[256] = "";
    (void)state;

    assert_null(sheet_open(&st, NULL, false, err, sizeof err));
    assert_non_null(strstr(err, "one table per file"));
}

static void test_workbook_typed(void **state)
{
    sheet_style st = {.xlsx = true};
    char err[256] = "", *sheet = NULL;
    size_t len;
    csv_table t;
    (void)state;

    char *book = write_table(&st, "t.xlsx", false, &len);
    assert_true(xlsx_is_zip(book, len));
    if (xlsx_read(book, len, NULL, &t, &sheet, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_string_equal(sheet, "活动");
    assert_int_equal(t.n, 3);
    assert_string_equal(t.rows[0].fields[4], "人数为下限");
    assert_string_equal(t.rows[1].fields[0], "活动");
    assert_string_equal(t.rows[1].fields[1], "2020-04-12"); /* a date cell */
    assert_string_equal(t.rows[1].fields[3], "40");
    assert_string_equal(t.rows[1].fields[4], "是");
    assert_string_equal(t.rows[2].fields[1], "2020-06");    /* not a day: text */
    assert_string_equal(t.rows[2].fields[5], "2.5");
    csv_free(&t);
    free(sheet);
    free(book);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_names),
        cmocka_unit_test(test_csv_for_excel),
        cmocka_unit_test(test_csv_gb18030),
        cmocka_unit_test(test_one_table_to_a_file_only),
        cmocka_unit_test(test_workbook_typed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
