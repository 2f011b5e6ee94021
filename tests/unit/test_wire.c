/* Names of status codes and roles, both directions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "wire.h"

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(wire_status_name(HUIZONG__STATUS__OK), "OK");
    assert_string_equal(wire_status_name(HUIZONG__STATUS__INVALID_ARGUMENT), "INVALID_ARGUMENT");
    assert_string_equal(wire_status_name(HUIZONG__STATUS__FAILED_PRECONDITION),
                        "FAILED_PRECONDITION");
    assert_string_equal(wire_status_name(HUIZONG__STATUS__UNAUTHENTICATED), "UNAUTHENTICATED");
    assert_string_equal(wire_status_name((Huizong__Status)17), "UNKNOWN");
    assert_string_equal(wire_status_name((Huizong__Status)-1), "UNKNOWN");
}

static void test_status_round_trip(void **state)
{
    (void)state;
    for (int s = 0; s <= 16; s++) {
        const char *name = wire_status_name((Huizong__Status)s);
        assert_int_equal(wire_status_from_name(name), s);
    }
}

static void test_status_from_bad_name(void **state)
{
    (void)state;
    assert_int_equal(wire_status_from_name("NOPE"), HUIZONG__STATUS__UNKNOWN);
    assert_int_equal(wire_status_from_name(""), HUIZONG__STATUS__UNKNOWN);
    assert_int_equal(wire_status_from_name(NULL), HUIZONG__STATUS__UNKNOWN);
    assert_int_equal(wire_status_from_name("NOT_FOUND"), HUIZONG__STATUS__NOT_FOUND);
}

static void test_role_names(void **state)
{
    (void)state;
    assert_string_equal(wire_role_name(HUIZONG__ROLE__ROLE_COMMUNITY), "community");
    assert_string_equal(wire_role_name(HUIZONG__ROLE__ROLE_DISTRICT), "district");
    assert_string_equal(wire_role_name(HUIZONG__ROLE__ROLE_ADMIN), "admin");
    assert_null(wire_role_name(HUIZONG__ROLE__ROLE_UNSPECIFIED));
    assert_null(wire_role_name((Huizong__Role)9));
}

static void test_role_from_name(void **state)
{
    (void)state;
    assert_int_equal(wire_role_from_name("community"), HUIZONG__ROLE__ROLE_COMMUNITY);
    assert_int_equal(wire_role_from_name("district"), HUIZONG__ROLE__ROLE_DISTRICT);
    assert_int_equal(wire_role_from_name("admin"), HUIZONG__ROLE__ROLE_ADMIN);
    assert_int_equal(wire_role_from_name("ROLE_ADMIN"), HUIZONG__ROLE__ROLE_UNSPECIFIED);
    assert_int_equal(wire_role_from_name("Admin"), HUIZONG__ROLE__ROLE_UNSPECIFIED);
    assert_int_equal(wire_role_from_name(""), HUIZONG__ROLE__ROLE_UNSPECIFIED);
    assert_int_equal(wire_role_from_name(NULL), HUIZONG__ROLE__ROLE_UNSPECIFIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_status_round_trip),
        cmocka_unit_test(test_status_from_bad_name),
        cmocka_unit_test(test_role_names),
        cmocka_unit_test(test_role_from_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
