/* Summary rendering: aligned tables with CJK text, CSV quoting, JSON, and
 * number formatting. render.c and table.c are pure; the test links
 * hz_client. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "render/render.h"
#include "render/table.h"
#include "utf8.h"

typedef struct {
    Huizong__SummaryResult r;
    Huizong__ActivityGroup g[3];
    Huizong__ActivityGroup *gp[3];
    Huizong__IndicatorTotal it[2];
    Huizong__IndicatorTotal *itp[2];
    Huizong__HonorItem h[1];
    Huizong__HonorItem *hp[1];
    Huizong__ActivityItem a[2];
    Huizong__ActivityItem *ap[2];
    char *partners0[2];
    char *partners1[1];
} fixture;

static void group(Huizong__ActivityGroup *g, char *code, char *name, char *cat, char *cat_name,
                  uint64_t n, uint64_t p)
{
    huizong__activity_group__init(g);
    g->community = code;
    g->community_name = name;
    g->category = cat;
    g->category_name = cat_name;
    g->activities = n;
    g->participants = p;
}

static void build(fixture *f)
{
    memset(f, 0, sizeof *f);
    huizong__summary_result__init(&f->r);
    f->r.year = 2020;
    f->r.unit_code = "district";
    f->r.unit_name = "江北区";
    group(&f->g[0], "guanlan", "观澜社区", "fire", "消防宣传", 3, 120);
    group(&f->g[1], "xinguang", "新光社区", "theory", "理论学习", 12, 1500);
    group(&f->g[2], "x9", "", "sport", "", 1, 7); /* no names: codes are shown */
    for (int i = 0; i < 3; i++)
        f->gp[i] = &f->g[i];
    f->r.activity_groups = f->gp;
    f->r.n_activity_groups = 3;
    f->r.total_activities = 16;
    f->r.total_participants = 1627;
    for (int i = 0; i < 2; i++) {
        huizong__indicator_total__init(&f->it[i]);
        f->itp[i] = &f->it[i];
    }
    f->it[0].community = "guanlan";
    f->it[0].community_name = "观澜社区";
    f->it[0].indicator = "briefs";
    f->it[0].indicator_name = "简讯";
    f->it[0].unit = "篇";
    f->it[0].aggregation = "sum";
    f->it[0].value = 82;
    f->it[1].community = "xinguang";
    f->it[1].indicator = "avg_score";
    f->it[1].unit = "分";
    f->it[1].aggregation = "avg";
    f->it[1].value = 2.5;
    f->r.indicator_totals = f->itp;
    f->r.n_indicator_totals = 2;
    huizong__honor_item__init(&f->h[0]);
    f->h[0].community = "guanlan";
    f->h[0].community_name = "观澜社区";
    f->h[0].date = "2020-06-11";
    f->h[0].title = "太极拳比赛一等奖";
    f->h[0].level = "district";
    f->h[0].issuer = "区体育局, \"老年\"体协";
    f->h[0].recipient = "太极拳、剑队";
    f->hp[0] = &f->h[0];
    f->r.honors = f->hp;
    f->r.n_honors = 1;
}

/* Two listed activities, as the server sends them for --events: by date.
 * Partner cells are equally wide so every line of the table is too. */
static void add_events(fixture *f)
{
    Huizong__ActivityItem *a = f->a;

    for (int i = 0; i < 2; i++) {
        huizong__activity_item__init(&a[i]);
        f->ap[i] = &a[i];
    }
    a[0].community = "guanlan";
    a[0].community_name = "观澜社区";
    a[0].date = "2020-03-05";
    a[0].category = "fire";
    a[0].category_name = "消防宣传";
    a[0].title = "消防安全知识讲座";
    a[0].location = "观澜社区活动室";
    a[0].participants = 40;
    a[0].participants_at_least = 1;
    f->partners0[0] = "A站";
    f->partners0[1] = "B站";
    a[0].partners = f->partners0;
    a[0].n_partners = 2;
    a[1].community = "x9"; /* no names: codes are shown */
    a[1].date = "2020-04-12";
    a[1].category = "sport";
    a[1].title = "Tai chi, \"morning\"";
    a[1].location = "park";
    a[1].participants = 1500;
    f->partners1[0] = "观澜小学";
    a[1].partners = f->partners1;
    a[1].n_partners = 1;
    f->r.activities = f->ap;
    f->r.n_activities = 2;
}

/* Renders into a malloc'd string. */
static char *render(const fixture *f, unsigned by, render_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    assert_non_null(out);
    assert_int_equal(render_summary(out, &f->r, by, fmt), 0);
    fclose(out);
    /* Returned as a copy: buf's address went to open_memstream, so an optimising
     * gcc takes pointers into the result for pointers to the local buf itself
     * and calls them dangling (-Wdangling-pointer). */
    char *text = strdup(buf);
    free(buf);
    assert_non_null(text);
    return text;
}

/* Lines of the section that starts after the line `title`, up to a blank line. */
static size_t section_lines(char *text, const char *title, char *lines[], size_t max)
{
    size_t n = 0;
    char *save = NULL, *line;
    int in = 0;

    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (in && (line[0] == '\0' || strcmp(line, "指标") == 0 || strcmp(line, "荣誉") == 0 ||
                   strcmp(line, "活动明细") == 0))
            break;
        if (in && n < max)
            lines[n++] = line;
        if (strcmp(line, title) == 0)
            in = 1;
    }
    return n;
}

/* Display columns of line before the first occurrence of what. */
static size_t columns_before(const char *line, const char *what)
{
    const char *at = strstr(line, what);
    char head[256];

    assert_non_null(at);
    assert_true((size_t)(at - line) < sizeof head);
    memcpy(head, line, (size_t)(at - line));
    head[at - line] = '\0';
    return utf8_width(head);
}

static void test_number_format(void **state)
{
    (void)state;
    char b[48];

    render_number(82, b, sizeof b);
    assert_string_equal(b, "82");
    render_number(2.5, b, sizeof b);
    assert_string_equal(b, "2.5");
    render_number(0.125, b, sizeof b);
    assert_string_equal(b, "0.125");
    render_number(-0.0, b, sizeof b);
    assert_string_equal(b, "0");
    render_number(1200.0, b, sizeof b);
    assert_string_equal(b, "1200");
    render_number(-3.75, b, sizeof b);
    assert_string_equal(b, "-3.75");
}

static void test_table_aligned_with_cjk(void **state)
{
    (void)state;
    fixture f;
    build(&f);
    char *out = render(&f, RENDER_BY_COMMUNITY | RENDER_BY_CATEGORY, RENDER_TABLE);
    char *copy = strdup(out), *lines[16];

    assert_non_null(strstr(out, "江北区 (district) 2020 年汇总\n"));
    size_t n = section_lines(copy, "活动", lines, 16);
    /* header, rule, 3 groups, rule, total */
    assert_int_equal(n, 7);
    size_t w = utf8_width(lines[0]);
    for (size_t i = 1; i < n; i++)
        if (utf8_width(lines[i]) != w)
            fail_msg("line %zu is %zu columns, header %zu:\n%s", i, utf8_width(lines[i]), w, out);
    assert_non_null(strstr(lines[0], "社区"));
    assert_non_null(strstr(lines[0], "参与人数"));
    assert_non_null(strstr(lines[2], "观澜社区"));
    assert_non_null(strstr(lines[4], "x9"));    /* code where no name */
    assert_non_null(strstr(lines[4], "sport"));
    assert_true(strncmp(lines[6], "合计", strlen("合计")) == 0);
    /* Numbers right-aligned: each line ends with its participants figure. */
    assert_true(strcmp(lines[2] + strlen(lines[2]) - 4, " 120") == 0);
    assert_true(strcmp(lines[6] + strlen(lines[6]) - 4, "1627") == 0);
    free(copy);
    free(out);
}

static void test_table_indicators_and_honors(void **state)
{
    (void)state;
    fixture f;
    build(&f);
    char *out = render(&f, RENDER_BY_COMMUNITY, RENDER_TABLE);
    char *copy = strdup(out), *lines[8];

    size_t n = section_lines(copy, "指标", lines, 8);
    assert_int_equal(n, 4);
    assert_non_null(strstr(lines[2], "简讯"));
    assert_non_null(strstr(lines[2], " 82  篇"));
    assert_null(strstr(out, "82.0"));
    assert_non_null(strstr(lines[3], "2.5"));
    assert_non_null(strstr(lines[3], "avg_score")); /* code where no name */
    /* The last, free-text column starts at the same display column. */
    assert_int_equal(columns_before(lines[2], "求和"), columns_before(lines[3], "平均值"));
    assert_int_equal(columns_before(lines[0], "汇总方式"), columns_before(lines[3], "平均值"));
    assert_non_null(strstr(out, "太极拳比赛一等奖（太极拳、剑队）"));
    assert_non_null(strstr(out, "区级"));
    free(copy);
    free(out);
}

static void test_table_ungrouped_has_total_only(void **state)
{
    (void)state;
    fixture f;
    build(&f);
    char *out = render(&f, 0, RENDER_TABLE);
    char *copy = strdup(out), *lines[8];

    size_t n = section_lines(copy, "活动", lines, 8);
    assert_int_equal(n, 3); /* header, rule, total */
    assert_non_null(strstr(lines[2], "合计"));
    assert_non_null(strstr(lines[2], "1627"));
    free(copy);
    free(out);
}

static void assert_same_width(char *lines[], size_t n, const char *out)
{
    size_t w = utf8_width(lines[0]);

    for (size_t i = 1; i < n; i++)
        if (utf8_width(lines[i]) != w)
            fail_msg("line %zu is %zu columns, header %zu:\n%s", i, utf8_width(lines[i]), w, out);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

static void test_table_lower_bounds_get_plus(void **state)
{
    (void)state;
    fixture f;
    build(&f);
    f.g[0].participants_at_least = 1;
    f.r.total_participants_at_least = 1;
    char *out = render(&f, RENDER_BY_COMMUNITY, RENDER_TABLE);
    char *copy = strdup(out), *lines[16];

    size_t n = section_lines(copy, "活动", lines, 16);
    assert_int_equal(n, 7);
    assert_same_width(lines, n, out);
    assert_true(ends_with(lines[2], " 120+"));
    assert_true(ends_with(lines[3], " 1500")); /* exact: no plus, still right-aligned */
    assert_true(ends_with(lines[6], " 1627+"));
    assert_null(strstr(out, "活动明细")); /* not asked, none sent */
    free(copy);
    free(out);
}

static void test_table_events_aligned(void **state)
{
    (void)state;
    fixture f;
    build(&f);
    add_events(&f);
    char *out = render(&f, RENDER_BY_COMMUNITY | RENDER_EVENTS, RENDER_TABLE);
    char *copy = strdup(out), *lines[8];

    /* After the 活动 table, before 指标. */
    assert_true(strstr(out, "\n活动\n") < strstr(out, "\n活动明细\n"));
    assert_true(strstr(out, "\n活动明细\n") < strstr(out, "\n指标\n"));
    size_t n = section_lines(copy, "活动明细", lines, 8);
    assert_int_equal(n, 4); /* header, rule, 2 activities */
    assert_same_width(lines, n, out);
    assert_true(strncmp(lines[0], "日期", strlen("日期")) == 0);
    assert_true(strncmp(lines[2], "2020-03-05", 10) == 0); /* the server's order */
    assert_true(strncmp(lines[3], "2020-04-12", 10) == 0);
    assert_non_null(strstr(lines[2], "观澜社区  消防宣传"));
    assert_non_null(strstr(lines[3], "x9"));
    assert_non_null(strstr(lines[3], "sport"));
    /* Right-aligned participants: the figure ends where the heading does. */
    size_t end = columns_before(lines[0], "参与人数") + utf8_width("参与人数");
    assert_int_equal(columns_before(lines[2], "40+") + 3, end);
    assert_int_equal(columns_before(lines[3], "1500") + 4, end);
    /* The CJK title and the Latin one start and end in the same columns. */
    assert_int_equal(columns_before(lines[2], "消防安全知识讲座"),
                     columns_before(lines[3], "Tai chi"));
    assert_int_equal(columns_before(lines[2], "A站、B站"), columns_before(lines[0], "共建单位"));
    assert_int_equal(columns_before(lines[3], "观澜小学"), columns_before(lines[0], "共建单位"));
    assert_null(strstr(out, "观澜社区活动室")); /* location is for CSV and JSON */
    free(copy);
    free(out);
}

static void test_table_events_asked_none_sent(void **state)
{
    (void)state;
    fixture f;
    build(&f);
    char *out = render(&f, RENDER_EVENTS, RENDER_TABLE);

    assert_non_null(strstr(out, "\n活动明细\n（无）\n"));
    free(out);
}

static void test_csv_quoting(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    render_csv_field(out, "plain");
    fputc('|', out);
    render_csv_field(out, "a,b");
    fputc('|', out);
    render_csv_field(out, "say \"hi\"");
    fputc('|', out);
    render_csv_field(out, "two\nlines");
    fclose(out);
    assert_string_equal(buf, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"");
    free(buf);
}

static void test_csv_sections(void **state)
{
    (void)state;
    fixture f;
    build(&f);
    char *out = render(&f, RENDER_BY_COMMUNITY, RENDER_CSV);

    const char *head = "section,community,community_name,category,category_name,month,"
                       "activities,participants,participants_at_least\r\n";
    assert_true(strncmp(out, head, strlen(head)) == 0);
    assert_non_null(strstr(out, "\r\nactivity,guanlan,观澜社区,fire,消防宣传,,3,120,false\r\n"));
    assert_null(strstr(out, "event")); /* not asked, none sent */
    assert_non_null(strstr(out, "\r\n\r\nsection,community,community_name,month,indicator,"));
    assert_non_null(strstr(out, "\r\nindicator,guanlan,观澜社区,,briefs,简讯,82,篇,sum\r\n"));
    assert_non_null(strstr(out, "indicator,xinguang,,,avg_score,,2.5,分,avg\r\n"));
    assert_non_null(strstr(out, "\r\nhonor,2020-06-11,guanlan,观澜社区,太极拳比赛一等奖,"
                                "太极拳、剑队,district,\"区体育局, \"\"老年\"\"体协\"\r\n"));
    free(out);
}

static void test_csv_events(void **state)
{
    (void)state;
    fixture f;
    build(&f);
    add_events(&f);
    f.g[1].participants_at_least = 1;
    char *out = render(&f, RENDER_BY_COMMUNITY | RENDER_EVENTS, RENDER_CSV);

    assert_non_null(strstr(out, "\r\nactivity,xinguang,新光社区,theory,理论学习,,12,1500,true\r\n"));
    const char *head = "\r\n\r\nsection,date,community,community_name,category,category_name,"
                       "title,location,participants,participants_at_least,partners\r\n";
    const char *at = strstr(out, head);
    assert_non_null(at);
    at += strlen(head);
    const char *rows = "event,2020-03-05,guanlan,观澜社区,fire,消防宣传,消防安全知识讲座,"
                       "观澜社区活动室,40,true,A站、B站\r\n"
                       "event,2020-04-12,x9,,sport,,\"Tai chi, \"\"morning\"\"\",park,1500,false,"
                       "观澜小学\r\n"
                       "\r\nsection,community,community_name,month,indicator,";
    assert_true(strncmp(at, rows, strlen(rows)) == 0);
    free(out);
}

static void test_json(void **state)
{
    (void)state;
    fixture f;
    build(&f);
    add_events(&f);
    f.r.total_participants_at_least = 1;
    char *out = render(&f, 0, RENDER_JSON);
    json_error_t e;
    json_t *j = json_loads(out, 0, &e);

    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "unit_name")), "江北区");
    assert_int_equal(json_integer_value(json_object_get(j, "total_participants")), 1627);
    json_t *g = json_array_get(json_object_get(j, "activity_groups"), 1);
    assert_string_equal(json_string_value(json_object_get(g, "community_name")), "新光社区");
    assert_int_equal(json_integer_value(json_object_get(g, "activities")), 12);
    assert_true(json_is_false(json_object_get(g, "participants_at_least")));
    assert_true(json_is_true(json_object_get(j, "total_participants_at_least")));
    json_t *a = json_array_get(json_object_get(j, "activities"), 0);
    assert_string_equal(json_string_value(json_object_get(a, "title")), "消防安全知识讲座");
    assert_int_equal(json_integer_value(json_object_get(a, "participants")), 40);
    assert_true(json_is_true(json_object_get(a, "participants_at_least")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(a, "partners"), 1)),
                        "B站");
    assert_int_equal(json_array_size(json_object_get(j, "activities")), 2);
    json_t *it = json_array_get(json_object_get(j, "indicator_totals"), 1);
    assert_true(json_number_value(json_object_get(it, "value")) == 2.5);
    assert_non_null(strstr(out, "\n  \"year\": 2020")); /* indented by 2 */
    json_decref(j);
    free(out);
}

static void test_format_names(void **state)
{
    (void)state;
    render_format fmt = RENDER_TABLE;

    assert_int_equal(render_format_from_name("csv", &fmt), 0);
    assert_int_equal(fmt, RENDER_CSV);
    assert_int_equal(render_format_from_name("json", &fmt), 0);
    assert_int_equal(fmt, RENDER_JSON);
    assert_int_equal(render_format_from_name("xml", &fmt), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_format),
        cmocka_unit_test(test_table_aligned_with_cjk),
        cmocka_unit_test(test_table_indicators_and_honors),
        cmocka_unit_test(test_table_ungrouped_has_total_only),
        cmocka_unit_test(test_table_lower_bounds_get_plus),
        cmocka_unit_test(test_table_events_aligned),
        cmocka_unit_test(test_table_events_asked_none_sent),
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_sections),
        cmocka_unit_test(test_csv_events),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_format_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
