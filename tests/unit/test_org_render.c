/* The admin lists as tables: trees indented two columns per level, CJK
 * names aligned, a status column; and as JSON with proto field names.
 * org_render.c and table.c are pure; the test links hz_client. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "render/org_render.h"
#include "render/table.h"

/* What org_render wrote, malloc'd. */
static char *rendered(const ProtobufCMessage *m, bool json)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(org_render(f, m, json), 0);
    fclose(f);
    return buf;
}

static void test_unit_tree(void **state)
{
    (void)state;
    Huizong__UnitListItem u[3] = {HUIZONG__UNIT_LIST_ITEM__INIT, HUIZONG__UNIT_LIST_ITEM__INIT, HUIZONG__UNIT_LIST_ITEM__INIT};
    Huizong__UnitListItem *up[3] = {&u[0], &u[1], &u[2]};
    u[0].code = "d1", u[0].name = "测试区", u[0].level = "district";
    u[1].code = "s1", u[1].name = "街道", u[1].level = "street", u[1].depth = 1;
    u[2].code = "c1", u[2].name = "一社区", u[2].level = "community", u[2].depth = 2;
    u[2].retired_at = "2026-11-28T18:10:08Z";
    Huizong__UnitListResult r = HUIZONG__UNIT_LIST_RESULT__INIT;
    r.n_units = 3;
    r.units = up;
    char *out = rendered(&r.base, false);
    assert_string_equal(out, "code    name    level      status\n"
                             "------  ------  ---------  ------------------\n"
                             "d1      测试区  district   active\n"
                             "  s1    街道    street     active\n"
                             "    c1  一社区  community  retired 2026-11-28\n");
    free(out);
    out = rendered(&r.base, true);
    assert_non_null(strstr(out, "\"code\": \"c1\""));
    assert_non_null(strstr(out, "\"depth\": 2"));
    free(out);
}

static void test_indicators(void **state)
{
    (void)state;
    Huizong__IndicatorListItem i = HUIZONG__INDICATOR_LIST_ITEM__INIT;
    Huizong__IndicatorListItem *ip[1] = {&i};
    i.code = "briefs", i.name = "简讯", i.unit = "篇", i.period_type = "month";
    i.aggregation = "sum", i.value_count = 12;
    Huizong__IndicatorListResult r = HUIZONG__INDICATOR_LIST_RESULT__INIT;
    r.n_indicators = 1;
    r.indicators = ip;
    char *out = rendered(&r.base, false);
    assert_string_equal(out, "code    name  unit  period  aggregation  values  status\n"
                             "------  ----  ----  ------  -----------  ------  ------\n"
                             "briefs  简讯  篇    month   sum              12  active\n");
    free(out);
}

static void test_empty_categories(void **state)
{
    (void)state;
    Huizong__CategoryListResult r = HUIZONG__CATEGORY_LIST_RESULT__INIT;
    char *out = rendered(&r.base, false);
    assert_string_equal(out, "code  name  status\n----  ----  ------\n");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_tree),
        cmocka_unit_test(test_indicators),
        cmocka_unit_test(test_empty_categories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
