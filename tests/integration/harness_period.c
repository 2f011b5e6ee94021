/* Helpers of the period integration tests. */
#include "harness_period.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "pbjson.h"

static Huizong__Request *hp_vrequest(const char *fmt, va_list ap)
{
    char *text = NULL, err[256];
    json_error_t je;
    json_t *j;
    ProtobufCMessage *m;

    if (vasprintf(&text, fmt, ap) < 0)
        abort();
    j = json_loads(text, 0, &je);
    if (!j) {
        fprintf(stderr, "hp_request: %s: %s\n", text, je.text);
        abort();
    }
    m = pbjson_to_message(&huizong__request__descriptor, j, 0, err, sizeof err);
    if (!m) {
        fprintf(stderr, "hp_request: %s: %s\n", text, err);
        abort();
    }
    json_decref(j);
    free(text);
    return (Huizong__Request *)m;
}

Huizong__Request *hp_request(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Huizong__Request *r = hp_vrequest(fmt, ap);
    va_end(ap);
    return r;
}

Huizong__Response *hp_call(SSL *ssl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Huizong__Request *r = hp_vrequest(fmt, ap);
    va_end(ap);
    Huizong__Response *resp = harness_call(ssl, r);
    huizong__request__free_unpacked(r, NULL);
    return resp;
}

char *hp_snapshot(harness *h)
{
    return harness_pg_text(h,
        "select concat_ws('/', (select count(*) from activity), (select count(*) from indicator_value),"
        " (select count(*) from honor), (select count(*) from submission),"
        " (select count(*) from quota), (select count(*) from deadline_rule),"
        " (select count(*) from period_lock), (select count(*) from period_lock where unlocked_at is not null),"
        " (select count(*) from nil_report), (select count(*) from correction_request),"
        " (select count(*) from correction_request where status <> 'pending'),"
        " (select count(*) from audit),"
        " (select count(*) from activity where retracted_at is not null),"
        " (select count(*) from indicator_value where retracted_at is not null))",
        NULL);
}
