/* The report builder and the export writers' pure parts: section mapping,
 * per-community sums, highlights, months; the category tree, every
 * community of the scope, quotas per indicator; DHIS2 and ADX period forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "import/taxonomy.h"
#include "render/export.h"
#include "render/render.h"
#include "render/table.h"
#include "report/report.h"

static void test_periods(void **state)
{
    char b[32];
    (void)state;
    assert_int_equal(export_period_dhis2("2020-06", b, sizeof b), 0);
    assert_string_equal(b, "202006");
    assert_int_equal(export_period_dhis2("2020-Q2", b, sizeof b), 0);
    assert_string_equal(b, "2020Q2");
    assert_int_equal(export_period_dhis2("2020", b, sizeof b), 0);
    assert_string_equal(b, "2020");
    assert_int_equal(export_period_adx("2020-06", b, sizeof b), 0);
    assert_string_equal(b, "2020-06-01/P1M");
    assert_int_equal(export_period_adx("2020-Q4", b, sizeof b), 0);
    assert_string_equal(b, "2020-10-01/P3M");
    assert_int_equal(export_period_adx("2020", b, sizeof b), 0);
    assert_string_equal(b, "2020-01-01/P1Y");
    assert_int_equal(export_period_adx("2020-Q9", b, sizeof b), -1); /* neither a quarter nor a month */
    assert_int_equal(export_period_dhis2("20", b, sizeof b), -1);
}

static void test_sections(void **state)
{
    (void)state;
    assert_int_equal(report_section_of("fire", 0), 3);
    assert_int_equal(report_section_of("party", 0), 0);
    assert_int_equal(report_section_of("briefs", 1), 6);
    assert_int_equal(report_section_of("volunteers", 1), 5);
    size_t n;
    report_sections(&n);
    assert_int_equal(report_section_of("nosuch", 0), n - 1);
}

static void test_build(void **state)
{
    Huizong__SummaryResult r = HUIZONG__SUMMARY_RESULT__INIT;
    Huizong__ActivityGroup g1 = HUIZONG__ACTIVITY_GROUP__INIT, g2 = HUIZONG__ACTIVITY_GROUP__INIT;
    Huizong__ActivityGroup *groups[] = {&g1, &g2};
    Huizong__ActivityItem a[4];
    Huizong__ActivityItem *items[4];
    Huizong__IndicatorTotal t1 = HUIZONG__INDICATOR_TOTAL__INIT, t2 = HUIZONG__INDICATOR_TOTAL__INIT;
    Huizong__IndicatorTotal *totals[] = {&t1, &t2};
    static const uint64_t parts[] = {40, 120, 30, 90};
    (void)state;

    r.year = 2020, r.unit_code = "s", r.unit_name = "街道", r.from = "2020-01", r.to = "2020-12";
    g1.community = "a", g1.community_name = "甲", g1.category = "fire", g1.activities = 4;
    g1.participants = 280, g1.participants_at_least = 1;
    g2.community = "b", g2.community_name = "乙", g2.category = "culture", g2.activities = 1;
    g2.participants = 5;
    r.activity_groups = groups, r.n_activity_groups = 2;
    r.total_activities = 5, r.total_participants = 285, r.total_participants_at_least = 1;
    for (int i = 0; i < 4; i++) {
        huizong__activity_item__init(&a[i]);
        a[i].community = "a", a[i].community_name = "甲", a[i].category = "fire";
        a[i].date = i < 2 ? "2020-04-12" : "2020-12-01", a[i].title = "讲座";
        a[i].participants = parts[i];
        items[i] = &a[i];
    }
    r.activities = items, r.n_activities = 4;
    t1.community = "a", t1.indicator = "volunteers", t1.aggregation = "last", t1.value = 200;
    t2.community = "b", t2.indicator = "volunteers", t2.aggregation = "last", t2.value = 96;
    t1.indicator_name = t2.indicator_name = "志愿者人数", t1.unit = t2.unit = "人";
    r.indicator_totals = totals, r.n_indicator_totals = 2;

    json_t *rep = report_build(&r, NULL);
    assert_non_null(rep);
    json_t *secs = json_object_get(rep, "sections");
    json_t *edu = json_array_get(secs, 3), *vol = json_array_get(secs, 5);
    assert_int_equal(report_int(edu, "activities"), 4);
    assert_true(json_is_true(json_object_get(edu, "participants_at_least")));
    json_t *hl = json_object_get(edu, "highlights");
    assert_int_equal(json_array_size(hl), 3); /* top three of four, largest first */
    assert_int_equal(report_int(json_array_get(hl, 0), "participants"), 120);
    assert_int_equal(report_int(json_array_get(hl, 2), "participants"), 40);
    json_t *vt = json_array_get(json_object_get(vol, "indicators"), 0);
    assert_true(json_real_value(json_object_get(vt, "value")) == 296.0); /* last adds up */
    json_t *months = json_object_get(rep, "months");
    assert_int_equal(json_array_size(months), 12);
    assert_int_equal(report_int(json_array_get(months, 3), "activities"), 2);
    assert_int_equal(report_int(json_array_get(months, 11), "activities"), 2);
    assert_int_equal(json_array_size(json_object_get(rep, "communities")), 2);
    json_decref(rep);
}

/* A sub-category reports in its nearest mapped ancestor's section. */
static void test_tree(void **state)
{
    Huizong__SummaryResult r = HUIZONG__SUMMARY_RESULT__INIT;
    Huizong__ActivityGroup g = HUIZONG__ACTIVITY_GROUP__INIT;
    Huizong__ActivityGroup *groups[] = {&g};
    Huizong__CategoryListItem fire = HUIZONG__CATEGORY_LIST_ITEM__INIT;
    Huizong__CategoryListItem drill = HUIZONG__CATEGORY_LIST_ITEM__INIT;
    Huizong__CategoryListItem deep = HUIZONG__CATEGORY_LIST_ITEM__INIT;
    Huizong__CategoryListItem *cats[] = {&fire, &drill, &deep};
    Huizong__CategoryListResult cl = HUIZONG__CATEGORY_LIST_RESULT__INIT;
    (void)state;

    fire.code = "fire", fire.name = "消防宣传", fire.parent_code = "education";
    drill.code = "drill", drill.name = "消防演练", drill.parent_code = "fire";
    deep.code = "night_drill", deep.name = "夜间演练", deep.parent_code = "drill";
    cl.categories = cats, cl.n_categories = 3;
    json_t *tax = taxonomy_from_lists(&cl, NULL, 1);
    assert_string_equal(taxonomy_code(tax, 0, "夜间演练"), "night_drill");
    assert_string_equal(taxonomy_parent(tax, "night_drill"), "drill");
    assert_null(taxonomy_parent(tax, "nosuch"));

    r.year = 2020, r.unit_code = "s", r.unit_name = "街道";
    g.community = "a", g.community_name = "甲", g.category = "night_drill", g.activities = 2;
    r.activity_groups = groups, r.n_activity_groups = 1;
    json_t *rep = report_build_tree(&r, NULL, tax);
    json_t *secs = json_object_get(rep, "sections");
    size_t n;
    report_sections(&n);
    assert_int_equal(report_int(json_array_get(secs, 3), "activities"), 2); /* 法制、消防与禁毒宣传 */
    assert_int_equal(report_int(json_array_get(secs, n - 1), "activities"), 0);
    json_decref(rep);
    rep = report_build(&r, NULL); /* without the tree: 其他工作 */
    assert_int_equal(report_int(json_array_get(json_object_get(rep, "sections"), n - 1),
                                "activities"), 2);
    json_decref(rep);
    json_decref(tax);
}

/* Every community of the scope: zeros and reported=false for one that sent
 * nothing; retired ones and other levels are not added. */
static void test_units(void **state)
{
    Huizong__SummaryResult r = HUIZONG__SUMMARY_RESULT__INIT;
    Huizong__IndicatorTotal t = HUIZONG__INDICATOR_TOTAL__INIT;
    Huizong__IndicatorTotal *totals[] = {&t};
    Huizong__UnitListItem u[4];
    Huizong__UnitListItem *up[4];
    Huizong__UnitListResult ul = HUIZONG__UNIT_LIST_RESULT__INIT;
    static const char *const rows[4][4] = {{"s", "街道", "street", ""},
                                           {"a", "甲", "community", ""},
                                           {"b", "乙", "community", ""},
                                           {"z", "旧", "community", "2020-01-01T00:00:00Z"}};
    (void)state;

    for (int i = 0; i < 4; i++) {
        huizong__unit_list_item__init(&u[i]);
        u[i].code = (char *)rows[i][0], u[i].name = (char *)rows[i][1];
        u[i].level = (char *)rows[i][2], u[i].retired_at = (char *)rows[i][3];
        up[i] = &u[i];
    }
    ul.units = up, ul.n_units = 4;
    r.year = 2020, r.unit_code = "s", r.unit_name = "街道";
    t.community = "a", t.community_name = "甲", t.indicator = "briefs", t.aggregation = "sum";
    t.value = 12, t.indicator_name = "简讯", t.unit = "篇";
    r.indicator_totals = totals, r.n_indicator_totals = 1;
    json_t *rep = report_build(&r, NULL);
    report_add_units(rep, &ul);
    json_t *comms = json_object_get(rep, "communities");
    assert_int_equal(json_array_size(comms), 2);
    json_t *b = json_array_get(comms, 1);
    assert_string_equal(report_str(b, "community"), "b");
    assert_string_equal(report_str(b, "community_name"), "乙");
    assert_int_equal(report_int(b, "activities"), 0);
    assert_true(json_is_false(json_object_get(b, "reported")));
    assert_true(json_is_true(json_object_get(json_array_get(comms, 0), "reported")));
    assert_int_equal(report_unreported(rep), 1);
    json_t *pub = json_array_get(json_object_get(rep, "sections"), 6);
    assert_int_equal(json_array_size(json_object_get(pub, "by_community")), 2);
    /* Sections without data get no rows. */
    json_t *theory = json_array_get(json_object_get(rep, "sections"), 0);
    assert_int_equal(json_array_size(json_object_get(theory, "by_community")), 0);
    char *md = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&md, &len);
    assert_int_equal(report_write_md(f, rep), 0);
    fclose(f);
    assert_non_null(strstr(md, "| 乙（未报） | 0 | 0 | 0 |"));
    assert_non_null(strstr(md, "| 乙 | 0 | 0 | 未报 |"));
    free(md);
    json_decref(rep);
}

/* Quotas per indicator, each with its minimum: "简讯 ≥2/月：12/12 达标". */
static void test_quotas(void **state)
{
    Huizong__ComplianceRow rows[5];
    Huizong__ComplianceRow *rp[5];
    Huizong__ComplianceResult c = HUIZONG__COMPLIANCE_RESULT__INIT;
    static const char *const periods[] = {"2020-01", "2020-02", "2020-Q1", "2020-Q2", "2020-Q3"};
    (void)state;

    for (int i = 0; i < 5; i++) {
        huizong__compliance_row__init(&rows[i]);
        rows[i].community = "a", rows[i].community_name = "甲";
        rows[i].indicator = i < 2 ? "briefs" : "research_reports";
        rows[i].indicator_name = i < 2 ? "简讯" : "调研报告";
        rows[i].period = (char *)periods[i];
        rows[i].minimum = i < 2 ? 2 : (i == 4 ? 3 : 1);
        rows[i].met = i != 1;
        rp[i] = &rows[i];
    }
    c.rows = rp, c.n_rows = 5;
    json_t *rep = json_object();
    report_add_quotas(rep, &c);
    json_t *q = json_array_get(json_object_get(rep, "quotas"), 0);
    assert_int_equal(report_int(q, "periods"), 5);
    assert_int_equal(report_int(q, "met"), 4);
    json_t *inds = json_object_get(q, "indicators");
    assert_int_equal(json_array_size(inds), 2);
    char line[256];
    report_quota_text(json_array_get(inds, 0), line, sizeof line);
    assert_string_equal(line, "简讯 ≥2/月：1/2 达标");
    report_quota_text(json_array_get(inds, 1), line, sizeof line);
    assert_string_equal(line, "调研报告 ≥1~3/季度：3/3 达标"); /* the quota changed in the span */
    json_decref(rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_tree),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_quotas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
