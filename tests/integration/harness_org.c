/* Helpers of the org integration tests (harness_org.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness_org.h"
#include "wire.h"

Huizong__Response *org_call(SSL *s, Huizong__Request__BodyCase body_case, ...)
{
    const ProtobufCFieldDescriptor *rf =
        protobuf_c_message_descriptor_get_field(&huizong__request__descriptor, (unsigned)body_case);
    assert_non_null(rf);
    const ProtobufCMessageDescriptor *d = rf->descriptor;
    ProtobufCMessage *m = calloc(1, d->sizeof_message);
    assert_non_null(m);
    protobuf_c_message_init(d, m);

    va_list ap;
    va_start(ap, body_case);
    for (const char *field; (field = va_arg(ap, const char *)) != NULL;) {
        const char *value = va_arg(ap, const char *);
        const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name(d, field);
        if (!f)
            fail_msg("%s has no field %s", d->name, field);
        *(const char **)((char *)m + f->offset) = value;
    }
    va_end(ap);

    Huizong__Request req = HUIZONG__REQUEST__INIT;
    req.request_id = 2000 + (uint64_t)body_case;
    req.body_case = body_case;
    *(ProtobufCMessage **)((char *)&req + rf->offset) = m;
    Huizong__Response *r = harness_call(s, &req);
    free(m);
    if (r)
        assert_int_equal(r->request_id, req.request_id);
    return r;
}

void org_assert_status(const Huizong__Response *r, Huizong__Status want, const char *message)
{
    assert_non_null(r);
    if (r->status != want)
        fail_msg("status %s (\"%s\"), want %s", wire_status_name(r->status), r->message,
                 wire_status_name(want));
    if (message && strcmp(r->message, message) != 0)
        fail_msg("message \"%s\", want \"%s\"", r->message, message);
}

const ProtobufCMessage *org_body(const Huizong__Response *r, Huizong__Response__BodyCase body_case)
{
    org_assert_status(r, HUIZONG__STATUS__OK, NULL);
    assert_int_equal(r->body_case, body_case);
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(&huizong__response__descriptor, (unsigned)body_case);
    assert_non_null(f);
    const ProtobufCMessage *m = *(const ProtobufCMessage *const *)((const char *)r + f->offset);
    assert_non_null(m);
    return m;
}

long org_audit_rows(harness *h)
{
    long n = harness_pg_count(h, "select count(*) from audit", NULL);
    assert_true(n >= 0);
    return n;
}

char *org_sql_call(harness *h, const char *fn, const char *arg)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "select r->>'status' || '|' || coalesce(r->>'message', '') from %s($1::jsonb) r", fn);
    return harness_pg_text(h, sql, arg);
}

void org_assert_sql_cases(harness *h, const char *const cases[][3], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char arg[400];
        snprintf(arg, sizeof arg, "{\"principal\":{\"role\":\"admin\",\"unit\":\"d1\"},%s}", cases[i][1]);
        char *got = org_sql_call(h, cases[i][0], arg), copy[400];
        assert_non_null(got);
        snprintf(copy, sizeof copy, "%s", got);
        free(got);
        if (strcmp(copy, cases[i][2]) != 0)
            fail_msg("%s(%s): \"%s\", want \"%s\"", cases[i][0], arg, copy, cases[i][2]);
    }
}

SSL *org_start_unit_tree(harness *h)
{
    if (harness_start_tree(h) != 0)
        return NULL;
    SSL *admin = harness_connect_admin(h);
    if (!admin)
        return NULL;
    if (harness_unit_add(admin, "s1a", "第一街道东片", "s1", "street") != 0 ||
        harness_unit_add(admin, "c4", "四社区", "s1a", "community") != 0) {
        harness_close(admin);
        return NULL;
    }
    return admin;
}

void org_assert_changed(Huizong__Response *r, Huizong__Response__BodyCase body_case, int want)
{
    const Huizong__OrgChangeResult *c = (const Huizong__OrgChangeResult *)org_body(r, body_case);
    if (want >= 0) /* -1: either */
        assert_int_equal(c->changed, want);
    harness_response_free(r);
}

void org_assert_refused(harness *h, Huizong__Response *r, Huizong__Status want, const char *message,
                        long audit)
{
    org_assert_status(r, want, message);
    harness_response_free(r);
    assert_int_equal(org_audit_rows(h), audit);
}
