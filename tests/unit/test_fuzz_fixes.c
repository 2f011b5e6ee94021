/* What the fuzzers found (docs/fuzz.md), pinned with the exact behaviour:
 * an explicit empty record_id/unit_code is filled in without a leak, and two
 * members of one oneof are refused by pbjson with a message naming the key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "import/input.h"
#include "pbjson.h"

static void test_empty_ids_are_filled_in(void **state)
{
    (void)state;
    static const char text[] =
        "{\"honors\":[{\"record_id\":\"\",\"unit_code\":\"\",\"date\":\"2020\","
        "\"title\":\"t\",\"level\":\"district\"}]}";
    Huizong__SubmitBatch *b = NULL;
    char err[256] = "";
    assert_int_equal(input_parse_buffer("x.json", text, strlen(text), "guanlan", &b, err,
                                        sizeof err), 0);
    assert_int_equal(b->n_honors, 1);
    assert_string_equal(b->honors[0]->unit_code, "guanlan");
    assert_int_equal(strlen(b->honors[0]->record_id), 36);
    input_free(b); /* ASan's leak check is the rest of this test */
}

static void test_two_oneof_members_refused(void **state)
{
    (void)state;
    json_t *obj = json_loads("{\"hello\":{},\"submit\":{}}", 0, NULL);
    char err[256] = "";
    assert_non_null(obj);
    ProtobufCMessage *m = pbjson_to_message(&huizong__request__descriptor, obj, 1, err,
                                            sizeof err);
    assert_null(m);
    /* Whichever key jansson visits second is the one named. */
    assert_true(strcmp(err, "submit: another member of its oneof is already set") == 0 ||
                strcmp(err, "hello: another member of its oneof is already set") == 0);
    json_decref(obj);
}

static void test_one_oneof_member_still_fine(void **state)
{
    (void)state;
    json_t *obj = json_loads("{\"request_id\":4,\"hello\":{},\"submit\":null}", 0, NULL);
    char err[256] = "";
    ProtobufCMessage *m = pbjson_to_message(&huizong__request__descriptor, obj, 0, err,
                                            sizeof err);
    assert_non_null(m);
    assert_int_equal(((Huizong__Request *)m)->body_case, HUIZONG__REQUEST__BODY_HELLO);
    protobuf_c_message_free_unpacked(m, NULL);
    json_decref(obj);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_ids_are_filled_in),
        cmocka_unit_test(test_two_oneof_members_refused),
        cmocka_unit_test(test_one_oneof_member_still_fine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
