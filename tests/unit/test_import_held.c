/* The sheet-against-server comparison (import/import_held.c) and the
 * field-by-field change (render/record_diff.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_held.h"
#include "render/record_diff.h"

#define RID "00000000-0000-4000-8000-000000000001"

static const char *const v1 =
    "{\"record_id\":\"" RID "\",\"unit_code\":\"c1\",\"date\":\"2020-04-12\",\"category\":\"fire\","
    "\"title\":\"消防讲座\",\"participants\":45,\"participants_at_least\":true,\"tags\":[]}";
static const char *const v2 =
    "{\"record_id\":\"" RID "\",\"unit_code\":\"c1\",\"date\":\"2020-04-12\",\"category\":\"fire\","
    "\"title\":\"消防讲座\",\"participants\":48}";

/* A held record in two versions, v2 current. */
static void held_fixture(held_index *h)
{
    Huizong__RecordItem a = HUIZONG__RECORD_ITEM__INIT, b = HUIZONG__RECORD_ITEM__INIT;
    Huizong__RecordItem *items[] = {&a, &b};
    Huizong__RecordListResult r = HUIZONG__RECORD_LIST_RESULT__INIT;

    a.record_id = b.record_id = (char *)RID;
    a.kind = b.kind = (char *)"activity";
    a.version = 1;
    a.content = (char *)v1;
    b.version = 2;
    b.current = true;
    b.content = (char *)v2;
    r.records = items;
    r.n_records = 2;
    assert_int_equal(held_init(h), 0);
    assert_int_equal(held_add(h, &r), 0);
}

static held_verdict verdict(held_index *h, const char *text, bool explicit_id, const char **other)
{
    json_t *rec = json_loads(text, 0, NULL);
    assert_non_null(rec);
    held_verdict v = held_classify(h, "activity", rec, explicit_id, other);
    json_decref(rec);
    return v;
}

static void test_same_content(void **state)
{
    (void)state;
    json_t *a = json_loads("{\"record_id\":\"x\",\"value\":82,\"note\":\"\",\"tags\":[],\"ok\":false}", 0, NULL);
    json_t *b = json_loads("{\"value\":82.0}", 0, NULL);
    json_t *c = json_loads("{\"value\":83}", 0, NULL);
    assert_true(held_same_content(a, b));   /* defaults, record_id and 82 vs 82.0 */
    assert_false(held_same_content(a, c));
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

static void test_verdicts(void **state)
{
    (void)state;
    held_index h;
    const char *other;
    held_fixture(&h);
    /* The current content, with its id: unchanged; with other content: an amend. */
    assert_int_equal(verdict(&h, v2, true, &other), HELD_UNCHANGED);
    assert_int_equal(verdict(&h, "{\"record_id\":\"" RID "\",\"unit_code\":\"c1\",\"date\":\"2020-04-12\","
                                 "\"category\":\"fire\",\"title\":\"消防讲座\",\"participants\":50}",
                             true, &other), HELD_AMEND);
    /* The old version's content with its id: a stale sheet, superseded. */
    assert_int_equal(verdict(&h, v1, true, &other), HELD_SUPERSEDED);
    /* A content-derived id that is held with other content: superseded. */
    assert_int_equal(verdict(&h, v1, false, &other), HELD_SUPERSEDED);
    /* No id held, the natural key of the one held record: a probable edit. */
    assert_int_equal(verdict(&h, "{\"record_id\":\"00000000-0000-4000-8000-000000000009\","
                                 "\"unit_code\":\"c1\",\"date\":\"2020-04-12\",\"category\":\"fire\","
                                 "\"title\":\"消防讲座\",\"participants\":30}", false, &other),
                     HELD_PROBABLE);
    assert_string_equal(other, RID);
    /* ... but with its own 记录编号 it is new, and another title is new. */
    assert_int_equal(verdict(&h, "{\"record_id\":\"00000000-0000-4000-8000-000000000009\","
                                 "\"unit_code\":\"c1\",\"date\":\"2020-04-12\",\"category\":\"fire\","
                                 "\"title\":\"消防讲座\",\"participants\":30}", true, &other),
                     HELD_NEW);
    assert_int_equal(verdict(&h, "{\"record_id\":\"00000000-0000-4000-8000-000000000009\","
                                 "\"unit_code\":\"c1\",\"date\":\"2020-04-12\",\"category\":\"fire\","
                                 "\"title\":\"别的\"}", false, &other), HELD_NEW);
    json_t *c = held_content(&h, RID);
    assert_int_equal(json_integer_value(json_object_get(c, "participants")), 48);
    json_decref(c);
    held_free(&h);
}

static void test_diff(void **state)
{
    (void)state;
    char *buf = NULL, line[256];
    size_t len = 0;
    json_t *a = json_loads(v1, 0, NULL), *b = json_loads(v2, 0, NULL);
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(record_diff_print(f, "  ", a, b), 2);
    fclose(f);
    assert_string_equal(buf, "  participants: 45 → 48\n  participants_at_least: true → (empty)\n");
    assert_int_equal(record_diff_line(line, sizeof line, a, b), 2);
    assert_string_equal(line, "participants 45 → 48; participants_at_least true → (empty)");
    assert_int_equal(record_diff_line(line, sizeof line, a, a), 0);
    free(buf);
    json_decref(a);
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_content),
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_diff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
