/* Submit files: JSON into a SubmitBatch, strict about keys and types, with
 * derived record ids that are stable across parses. input.c is pure; the test
 * links hz_client. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "import/input.h"
#include "validate.h"

static const char good[] =
    "{\"activities\": [\n"
    "  {\"record_id\": \"4ae3c91f-fdf4-4a38-b1d6-35554c956984\", \"unit_code\": \"guanlan\",\n"
    "   \"date\": \"2020-04-12\", \"category\": \"fire\", \"title\": \"消防安全讲座\",\n"
    "   \"participants\": 40, \"participants_at_least\": true,\n"
    "   \"partners\": [\"消防中队\", \"物业\"], \"tags\": []},\n"
    "  {\"date\": \"2020-06-11\", \"category\": \"sport\", \"title\": \"太极拳比赛\"}\n"
    " ],\n"
    " \"indicator_values\": [{\"indicator\": \"briefs\", \"period\": \"2020\", \"value\": 82}],\n"
    " \"honors\": [{\"date\": \"2020-06\", \"title\": \"一等奖\", \"level\": \"district\",\n"
    "             \"recipient\": \"太极拳、剑队\"}]}\n";

static Huizong__SubmitBatch *parse_ok(const char *text, const char *unit)
{
    Huizong__SubmitBatch *b = NULL;
    char err[512] = "";

    int rc = input_parse_buffer("t.json", text, strlen(text), unit, &b, err, sizeof err);
    if (rc != 0)
        fail_msg("unexpected error: %s", err);
    assert_non_null(b);
    return b;
}

static void parse_err(const char *text, const char *unit, const char *want)
{
    Huizong__SubmitBatch *b = (Huizong__SubmitBatch *)1;
    char err[512] = "";

    assert_int_equal(input_parse_buffer("t.json", text, strlen(text), unit, &b, err, sizeof err), -1);
    assert_null(b);
    if (strstr(err, want) == NULL)
        fail_msg("error \"%s\" lacks \"%s\"", err, want);
}

static void test_valid_file(void **state)
{
    (void)state;
    Huizong__SubmitBatch *b = parse_ok(good, "xinguang");

    assert_int_equal(input_record_count(b), 4);
    assert_int_equal(b->n_activities, 2);
    const Huizong__Activity *a = b->activities[0];
    assert_string_equal(a->record_id, "4ae3c91f-fdf4-4a38-b1d6-35554c956984");
    assert_string_equal(a->unit_code, "guanlan"); /* given: not replaced */
    assert_string_equal(a->date, "2020-04-12");
    assert_string_equal(a->title, "消防安全讲座");
    assert_int_equal(a->participants, 40);
    assert_true(a->participants_at_least);
    assert_int_equal(a->n_partners, 2);
    assert_string_equal(a->partners[1], "物业");
    assert_int_equal(a->n_tags, 0);
    /* Missing unit and id are filled in. */
    assert_string_equal(b->activities[1]->unit_code, "xinguang");
    assert_true(validate_uuid(b->activities[1]->record_id));
    assert_int_equal(b->activities[1]->record_id[14], '5');
    assert_int_equal(b->n_indicator_values, 1);
    assert_true(b->indicator_values[0]->value == 82.0);
    assert_string_equal(b->indicator_values[0]->unit_code, "xinguang");
    assert_int_equal(b->n_honors, 1);
    assert_string_equal(b->honors[0]->recipient, "太极拳、剑队");
    assert_true(validate_uuid(b->honors[0]->record_id));
    input_free(b);
}

static void test_missing_arrays_and_bom(void **state)
{
    (void)state;
    const char text[] = "\xEF\xBB\xBF{\"honors\": [{\"date\": \"2020\", \"title\": \"t\"}]}";
    Huizong__SubmitBatch *b = parse_ok(text, "x");

    assert_int_equal(b->n_activities, 0);
    assert_int_equal(b->n_honors, 1);
    input_free(b);
}

static void test_unknown_key(void **state)
{
    (void)state;
    parse_err("{\"activities\": [{\"date\": \"2020-04-12\"}, {\"titel\": \"x\"}]}", "u",
              "activities[1].titel");
    parse_err("{\"activities\": [{\"titel\": \"x\"}]}", "u", "unknown key");
    parse_err("{\"activites\": []}", "u", "activites");
}

static void test_wrong_type(void **state)
{
    (void)state;
    parse_err("{\"activities\": [{}, {}, {\"participants\": \"40\"}]}", "u",
              "t.json: activities[2].participants: want an integer");
    parse_err("{\"activities\": [{\"partners\": \"a\"}]}", "u", "activities[0].partners");
    parse_err("{\"activities\": [{\"partners\": [\"a\", 3]}]}", "u", "activities[0].partners[1]");
    parse_err("{\"indicator_values\": [{\"value\": \"82\"}]}", "u",
              "indicator_values[0].value: want a number");
    parse_err("{\"activities\": {}}", "u", "activities");
    parse_err("[1, 2]", "u", "t.json");
}

static void test_syntax_error_has_position(void **state)
{
    (void)state;
    parse_err("{\"activities\": [\n  {\"date\": \"2020-04-12\",, }\n]}", "u", "line 2, column");
}

static void test_missing_unit_without_certificate(void **state)
{
    (void)state;
    parse_err("{\"honors\": [{\"title\": \"t\"}]}", NULL, "honors[0].unit_code");
}

/* The id of the first activity of text parsed with unit. */
static void first_id(const char *text, const char *unit, char out[INPUT_UUID_LEN])
{
    Huizong__SubmitBatch *b = parse_ok(text, unit);

    snprintf(out, INPUT_UUID_LEN, "%s", b->activities[0]->record_id);
    input_free(b);
}

static void test_derived_id_is_deterministic(void **state)
{
    (void)state;
    char a[INPUT_UUID_LEN], b[INPUT_UUID_LEN], c[INPUT_UUID_LEN], d[INPUT_UUID_LEN],
        e[INPUT_UUID_LEN];
    const char *one = "{\"activities\": [{\"date\": \"2020-04-12\", \"title\": \"讲座\"}]}";
    /* Same content, other key order and spacing, explicit null. */
    const char *same = "{\"activities\":[{\"title\":\"讲座\",\n \"date\":\"2020-04-12\","
                       "\"organiser\": null}]}";
    const char *other = "{\"activities\": [{\"date\": \"2020-04-13\", \"title\": \"讲座\"}]}";

    first_id(one, "u1", a);
    first_id(one, "u1", b);
    first_id(same, "u1", c);
    first_id(other, "u1", d);
    first_id(one, "u2", e);
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    assert_string_not_equal(a, d);
    assert_string_not_equal(a, e); /* another community's record is another record */
}

static void test_id_depends_on_kind(void **state)
{
    (void)state;
    char x[INPUT_UUID_LEN], y[INPUT_UUID_LEN];
    json_t *rec = json_pack("{s:s}", "title", "t");

    assert_int_equal(input_record_id("activity", rec, x), 0);
    assert_int_equal(input_record_id("honor", rec, y), 0);
    assert_string_not_equal(x, y);
    json_object_set_new(rec, "record_id", json_string("ignored"));
    assert_int_equal(input_record_id("honor", rec, x), 0);
    assert_string_equal(x, y);
    json_decref(rec);
}

static void test_parse_file(void **state)
{
    (void)state;
    Huizong__SubmitBatch *b = NULL;
    char err[256];
    FILE *f = fmemopen((void *)good, sizeof good - 1, "r");

    assert_non_null(f);
    assert_int_equal(input_parse_file(f, "t.json", "u", &b, err, sizeof err), 0);
    assert_int_equal(input_record_count(b), 4);
    fclose(f);
    input_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_file),
        cmocka_unit_test(test_missing_arrays_and_bom),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_wrong_type),
        cmocka_unit_test(test_syntax_error_has_position),
        cmocka_unit_test(test_missing_unit_without_certificate),
        cmocka_unit_test(test_derived_id_is_deterministic),
        cmocka_unit_test(test_id_depends_on_kind),
        cmocka_unit_test(test_parse_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
