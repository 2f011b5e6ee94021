/* Reading .xlsx sheets: a workbook written by libxlsxwriter (shared strings;
 * inline strings in its constant-memory mode) with Excel serial dates, a
 * title merged across the columns, a merged category cell and formatted
 * empty rows at the end maps to the same records as the CSV of the same
 * sheet; bad cells are named by sheet, row, column letter and header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <xlsxwriter.h>

#include "import/import_csv.h"
#include "import/import_map.h"
#include "import/import_xlsx.h"

static char dir[] = "/tmp/hz-xlsx-XXXXXX";

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
    char *buf = NULL;
    long n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void test_serial_dates(void **state)
{
    (void)state;
    char d[11];

    assert_int_equal(xlsx_serial_date(43935, false, d), 0);
    assert_string_equal(d, "2020-04-14");
    assert_int_equal(xlsx_serial_date(43935.75, false, d), 0); /* 18:00 that day */
    assert_string_equal(d, "2020-04-14");
    assert_int_equal(xlsx_serial_date(1, false, d), 0);
    assert_string_equal(d, "1900-01-01");
    assert_int_equal(xlsx_serial_date(59, false, d), 0);
    assert_string_equal(d, "1900-02-28");
    assert_int_equal(xlsx_serial_date(61, false, d), 0);
    assert_string_equal(d, "1900-03-01");
    assert_int_equal(xlsx_serial_date(0, true, d), 0);
    assert_string_equal(d, "1904-01-01");
    assert_int_equal(xlsx_serial_date(42473, true, d), 0);
    assert_string_equal(d, "2020-04-14");
    assert_int_equal(xlsx_serial_date(-1, false, d), -1);
    assert_int_equal(xlsx_serial_date(1e12, false, d), -1);
}

static void test_formats_and_columns(void **state)
{
    (void)state;
    char c[8];

    assert_true(xlsx_format_is_date(14, NULL));
    assert_true(xlsx_format_is_date(31, NULL)); /* yyyy"年"m"月"d"日", zh-CN built-in */
    assert_false(xlsx_format_is_date(0, NULL));
    assert_false(xlsx_format_is_date(2, NULL));
    assert_true(xlsx_format_is_date(164, "yyyy/m/d"));
    assert_true(xlsx_format_is_date(165, "yyyy\"年\"m\"月\"d\"日\";@"));
    assert_true(xlsx_format_is_date(166, "[$-804]yyyy-mm-dd"));
    assert_false(xlsx_format_is_date(167, "0.00\"篇\""));
    assert_false(xlsx_format_is_date(168, "[Red]#,##0"));
    assert_false(xlsx_format_is_date(169, "General"));
    xlsx_column_name(1, c);
    assert_string_equal(c, "A");
    xlsx_column_name(26, c);
    assert_string_equal(c, "Z");
    xlsx_column_name(28, c);
    assert_string_equal(c, "AB");
    xlsx_column_name(16384, c);
    assert_string_equal(c, "XFD");
}

static const char *const csv_sheet =
    "日期,类别,标题,地点,参与人数,共建单位\r\n"
    "2020-04-12,消防宣传,消防安全知识讲座,社区活动室,40余人,消防站、派出所\r\n"
    "2020-06-11,文体活动,太极拳比赛,广场,25,\r\n"
    "2020-07-02,文体活动,广场舞展演,广场,60,\r\n"
    "2020-12-31,志愿服务,清洁家园,小区,12,物业\r\n";

/* The same sheet as an Excel office keeps it: a title row merged across,
 * dates as date cells (serial numbers), 文体活动 merged over its two rows,
 * numbers as numbers, and formatted empty rows after the data. */
static void write_workbook(const char *path, bool constant_memory)
{
    lxw_workbook_options opt = {.constant_memory = constant_memory};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *note = workbook_add_worksheet(wb, "说明");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "活动");
    lxw_format *date = workbook_add_format(wb), *shade = workbook_add_format(wb);
    const char *head[] = {"日期", "类别", "标题", "地点", "参与人数", "共建单位"};
    lxw_datetime days[] = {{2020, 4, 12, 0, 0, 0}, {2020, 6, 11, 0, 0, 0},
                           {2020, 7, 2, 9, 30, 0}, {2020, 12, 31, 0, 0, 0}};

    format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
    format_set_bg_color(shade, 0xDDEEFF);
    worksheet_write_string(note, 0, 0, "本表为活动登记表", NULL);
    if (!constant_memory)
        worksheet_merge_range(ws, 0, 0, 0, 5, "新光社区2020年活动登记表", NULL);
    for (int c = 0; c < 6; c++)
        worksheet_write_string(ws, 1, (lxw_col_t)c, head[c], NULL);
    /* Row by row: constant_memory mode writes each row out when the next starts. */
    const char *rows[4][5] = {{"消防宣传", "消防安全知识讲座", "社区活动室", "40余人", "消防站、派出所"},
                              {"文体活动", "太极拳比赛", "广场", NULL, NULL},
                              {"文体活动", "广场舞展演", "广场", NULL, NULL},
                              {"志愿服务", "清洁家园", "小区", NULL, "物业"}};
    const double people[4] = {0, 25, 60, 12};
    for (int r = 0; r < 4; r++) {
        lxw_row_t row = (lxw_row_t)(r + 2);
        worksheet_write_datetime(ws, row, 0, &days[r], date);
        if (r == 1 && !constant_memory)
            worksheet_merge_range(ws, 3, 1, 4, 1, "文体活动", NULL);
        else if (r != 2 || constant_memory)
            worksheet_write_string(ws, row, 1, rows[r][0], NULL);
        worksheet_write_string(ws, row, 2, rows[r][1], NULL);
        worksheet_write_string(ws, row, 3, rows[r][2], NULL);
        if (rows[r][3])
            worksheet_write_string(ws, row, 4, rows[r][3], NULL);
        else
            worksheet_write_number(ws, row, 4, people[r], NULL);
        if (rows[r][4])
            worksheet_write_string(ws, row, 5, rows[r][4], NULL);
    }
    for (int r = 6; r < 30; r++)
        for (int c = 0; c < 6; c++)
            worksheet_write_blank(ws, (lxw_row_t)r, (lxw_col_t)c, shade);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void map_csv(import_sheet *s)
{
    csv_table t;
    char err[256];

    assert_int_equal(csv_parse(csv_sheet, strlen(csv_sheet), &t, err, sizeof err), 0);
    assert_int_equal(import_map(s, &t, IMPORT_ACTIVITY, "a.csv", NULL, NULL), 0);
    csv_free(&t);
}

static void map_xlsx(const char *path, const char *sheet, import_sheet *s, int want)
{
    size_t len;
    char *buf = slurp(path, &len), *name = NULL, err[256] = "";
    csv_table t;

    assert_true(xlsx_is_zip(buf, len));
    if (xlsx_read(buf, len, sheet, &t, &name, err, sizeof err) != 0)
        fail_msg("xlsx_read: %s", err);
    assert_int_equal(import_map(s, &t, IMPORT_ACTIVITY, path, NULL, NULL), want);
    s->sheet = name;
    csv_free(&t);
    free(buf);
}

static void same_records(const char *path, bool constant_memory)
{
    import_sheet a, b;

    write_workbook(path, constant_memory);
    map_csv(&a);
    map_xlsx(path, "活动", &b, 0);
    assert_string_equal(b.sheet, "活动");
    if (b.n_errors)
        import_errors_print(&b);
    assert_int_equal(b.n_errors, 0);
    assert_int_equal(b.n, 4);
    if (!json_equal(a.records, b.records)) {
        char *x = json_dumps(a.records, 0), *y = json_dumps(b.records, 0);
        fail_msg("csv %s\nxlsx %s", x, y);
    }
    /* Lines are the sheet's rows: the header is row 2, under the title. */
    assert_int_equal(b.lines[0], 3);
    assert_int_equal(b.lines[3], 6);
    import_sheet_free(&a);
    import_sheet_free(&b);
}

static void test_libxlsxwriter_same_as_csv(void **state)
{
    char path[128];
    (void)state;

    snprintf(path, sizeof path, "%s/shared.xlsx", dir);
    same_records(path, false);
    /* constant_memory writes inline strings instead of the shared table. */
    snprintf(path, sizeof path, "%s/inline.xlsx", dir);
    same_records(path, true);
}

static void test_first_sheet_and_missing_sheet(void **state)
{
    char path[128], err[256] = "", *name = NULL;
    size_t len;
    csv_table t;
    (void)state;

    snprintf(path, sizeof path, "%s/book.xlsx", dir);
    write_workbook(path, false);
    char *buf = slurp(path, &len);
    assert_int_equal(xlsx_read(buf, len, NULL, &t, &name, err, sizeof err), 0);
    assert_string_equal(name, "说明");
    assert_int_equal(t.n, 1);
    assert_string_equal(t.rows[0].fields[0], "本表为活动登记表");
    csv_free(&t);
    free(name);
    assert_int_equal(xlsx_read(buf, len, "汇总", &t, &name, err, sizeof err), -1);
    assert_string_equal(err, "no sheet named \"汇总\" (the workbook has: 说明, 活动)");
    csv_free(&t);
    assert_int_equal(xlsx_read("PK\x03\x04junk", 8, NULL, &t, &name, err, sizeof err), -1);
    assert_non_null(strstr(err, "not an Excel workbook (.xlsx)"));
    csv_free(&t);
    free(buf);
}

/* Bad cells: the error names the sheet, the row, the column letter and the
 * header, as a person finds the cell in Excel. */
static void test_bad_cells_named(void **state)
{
    char path[128], line[512], out[2048] = "";
    lxw_workbook *wb;
    lxw_worksheet *ws;
    import_sheet s;
    (void)state;

    snprintf(path, sizeof path, "%s/bad.xlsx", dir);
    wb = workbook_new(path);
    ws = workbook_add_worksheet(wb, "活动");
    const char *head[] = {"日期", "类别", "标题", "参与人数"};
    for (int c = 0; c < 4; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    worksheet_write_string(ws, 1, 0, "2020-02-30", NULL);
    worksheet_write_string(ws, 1, 1, "消防宣传", NULL);
    worksheet_write_string(ws, 1, 2, "讲座", NULL);
    worksheet_write_string(ws, 1, 3, "很多", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    map_xlsx(path, NULL, &s, 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(s.n_errors, 2);

    FILE *err = tmpfile();
    int saved = dup(2);
    assert_int_equal(dup2(fileno(err), 2), 2);
    import_errors_print(&s);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(err);
    while (fgets(line, sizeof line, err))
        strncat(out, line, sizeof out - strlen(out) - 1);
    fclose(err);
    char want[1024];
    snprintf(want, sizeof want, "huizong: %s: sheet 活动, row 2, column A (日期): invalid date "
             "\"2020-02-30\"", path);
    assert_non_null(strstr(out, want));
    snprintf(want, sizeof want, "huizong: %s: sheet 活动, row 2, column D (参与人数): invalid "
             "number of participants \"很多\"", path);
    assert_non_null(strstr(out, want));
    import_sheet_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_serial_dates),
        cmocka_unit_test(test_formats_and_columns),
        cmocka_unit_test(test_libxlsxwriter_same_as_csv),
        cmocka_unit_test(test_first_sheet_and_missing_sheet),
        cmocka_unit_test(test_bad_cells_named),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
