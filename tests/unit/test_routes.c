/* The route table of server/api/routes.c: every request type of the wire
 * contract has its row, and each row is whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "api/routes.h"

/* Each Request body member is served on some port, says what it does, and
 * names the result its SQL function becomes (or has a handler of its own). */
static void test_every_request_has_a_row(void **state)
{
    const ProtobufCMessageDescriptor *d = &huizong__request__descriptor;

    (void)state;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        const route *rt;

        if (!(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)) /* request_id: not a body */
            continue;
        rt = route_find((Huizong__Request__BodyCase)f->id);
        if (!rt)
            print_error("no route for Request.%s\n", f->name);
        assert_non_null(rt);
        assert_true(rt->ports != 0);
        assert_non_null(rt->what);
        assert_true(rt->op.function != NULL || rt->run != NULL);
        if (rt->op.function)
            assert_true(strncmp(rt->op.function, "hz_", 3) == 0);
    }
}

/* Only Hello and Enroll are served on the enrollment port; Enroll only there. */
static void test_enrollment_port(void **state)
{
    const ProtobufCMessageDescriptor *d = &huizong__request__descriptor;

    (void)state;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const route *rt = route_find((Huizong__Request__BodyCase)d->fields[i].id);
        int hello = d->fields[i].id == HUIZONG__REQUEST__BODY_HELLO;
        int enroll = d->fields[i].id == HUIZONG__REQUEST__BODY_ENROLL;

        if (!rt)
            continue;
        assert_int_equal(!!(rt->ports & ROUTE_ENROLL_PORT), hello || enroll);
        assert_int_equal(!!(rt->ports & ROUTE_MAIN_PORT), !enroll);
    }
}

static void test_unknown_types(void **state)
{
    (void)state;
    assert_null(route_find(HUIZONG__REQUEST__BODY__NOT_SET));
    assert_null(route_find((Huizong__Request__BodyCase)99));
    assert_null(route_find((Huizong__Request__BodyCase)100000));
    assert_null(route_find((Huizong__Request__BodyCase)-1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_request_has_a_row),
        cmocka_unit_test(test_enrollment_port),
        cmocka_unit_test(test_unknown_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
