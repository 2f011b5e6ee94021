/* The report builder and the export writers' pure parts: section mapping,
 * per-community sums, highlights, months; DHIS2 and ADX period forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_build),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
