/* The unpack budget (proto/pbbudget.h): what it refuses, that it tells a
 * refusal from malformed input, and the measurement its factor comes from:
 * the memory-to-wire ratio of the largest requests validation accepts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huizong.pb-c.h"
#include "pbbudget.h"
#include "validate.h"

#define UUID "0f8fad5b-d9cb-469f-a165-70867728950e"

/* Packs req into a malloc'd buffer. */
static uint8_t *pack(const Huizong__Request *req, size_t *len)
{
    *len = huizong__request__get_packed_size(req);
    uint8_t *buf = malloc(*len ? *len : 1);
    assert_non_null(buf);
    assert_int_equal(huizong__request__pack(req, buf), *len);
    return buf;
}

/* Bytes the unpack asked for, per byte of wire (x100); the request must unpack. */
static unsigned ratio_x100(const uint8_t *buf, size_t len)
{
    pbbudget b;
    pbbudget_init_limit(&b, SIZE_MAX);
    Huizong__Request *r = huizong__request__unpack(&b.allocator, len, buf);
    assert_non_null(r);
    huizong__request__free_unpacked(r, NULL);
    return (unsigned)(b.peak * 100 / len);
}

/* A full batch (5000) of the smallest records validation accepts. */
static unsigned batch_ratio(int kind)
{
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__SubmitBatch batch = HUIZONG__SUBMIT_BATCH__INIT;
    enum { N = 5000 };
    Huizong__Activity *acts = calloc(N, sizeof *acts);
    Huizong__IndicatorValue *vals = calloc(N, sizeof *vals);
    Huizong__Honor *hons = calloc(N, sizeof *hons);
    void **ptrs = calloc(N, sizeof *ptrs);
    assert_true(acts && vals && hons && ptrs);
    for (size_t i = 0; i < N; i++) {
        huizong__activity__init(&acts[i]);
        acts[i].record_id = UUID, acts[i].unit_code = "c1", acts[i].date = "2020-01-01";
        acts[i].category = "a", acts[i].title = "t";
        huizong__indicator_value__init(&vals[i]);
        vals[i].record_id = UUID, vals[i].unit_code = "c1", vals[i].indicator = "b";
        vals[i].period = "2020";
        huizong__honor__init(&hons[i]);
        hons[i].record_id = UUID, hons[i].unit_code = "c1", hons[i].date = "2020";
        hons[i].title = "t";
        ptrs[i] = kind == 0 ? (void *)&acts[i] : kind == 1 ? (void *)&vals[i] : (void *)&hons[i];
    }
    if (kind == 0)
        batch.n_activities = N, batch.activities = (Huizong__Activity **)ptrs;
    else if (kind == 1)
        batch.n_indicator_values = N, batch.indicator_values = (Huizong__IndicatorValue **)ptrs;
    else
        batch.n_honors = N, batch.honors = (Huizong__Honor **)ptrs;
    req.request_id = 1;
    req.body_case = HUIZONG__REQUEST__BODY_SUBMIT;
    req.submit = &batch;
    size_t len;
    uint8_t *buf = pack(&req, &len);
    unsigned r = ratio_x100(buf, len);
    free(buf);
    free(acts);
    free(vals);
    free(hons);
    free(ptrs);
    return r;
}

/* A 1 MiB frame of activities, each with the most list entries validation
 * allows, all empty: the largest ratio a valid batch can reach. */
static unsigned lists_ratio(void)
{
    enum { N = 2800 };
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__SubmitBatch batch = HUIZONG__SUBMIT_BATCH__INIT;
    Huizong__Activity *acts = calloc(N, sizeof *acts);
    Huizong__Activity **ptrs = calloc(N, sizeof *ptrs);
    char *empty[VALIDATE_MAX_LIST];
    assert_true(acts && ptrs);
    for (size_t i = 0; i < VALIDATE_MAX_LIST; i++)
        empty[i] = "";
    for (size_t i = 0; i < N; i++) {
        Huizong__Activity *a = &acts[i];
        huizong__activity__init(a);
        a->record_id = UUID, a->unit_code = "c1", a->date = "2020-01-01", a->category = "a";
        a->title = "t";
        a->partners = a->tags = a->beneficiaries = empty;
        a->n_partners = a->n_tags = a->n_beneficiaries = VALIDATE_MAX_LIST;
        ptrs[i] = a;
    }
    batch.n_activities = N, batch.activities = ptrs;
    req.body_case = HUIZONG__REQUEST__BODY_SUBMIT;
    req.submit = &batch;
    size_t len;
    uint8_t *buf = pack(&req, &len);
    assert_true(len <= 1u << 20);
    unsigned r = ratio_x100(buf, len);
    free(buf);
    free(acts);
    free(ptrs);
    return r;
}

/* Every valid request fits its budget: full batches of minimal records with
 * room to spare (at least twice), the extreme case of empty list entries
 * within the factor. Small requests are covered by the constant. */
static void test_factor_covers_valid_requests(void **state)
{
    (void)state;
    unsigned batches[3] = { batch_ratio(0), batch_ratio(1), batch_ratio(2) };
    unsigned lists = lists_ratio();
    for (size_t i = 0; i < 3; i++) {
        printf("batch of minimal records, memory/wire x100: %u\n", batches[i]);
        assert_true(batches[i] * 2 <= PBBUDGET_PER_BYTE * 100u);
    }
    printf("batch with full lists of empty entries, memory/wire x100: %u\n", lists);
    assert_true(lists <= PBBUDGET_PER_BYTE * 100u);
}

static uint8_t *empty_activities(size_t n, size_t *len)
{
    uint8_t *buf = malloc(16 + 2 * n);
    size_t off = 0, inner = 2 * n;
    assert_non_null(buf);
    buf[off++] = 0x5A; /* submit */
    do {
        buf[off++] = (uint8_t)((inner & 0x7F) | (inner > 0x7F ? 0x80 : 0));
        inner >>= 7;
    } while (inner);
    for (size_t i = 0; i < n; i++) {
        buf[off++] = 0x0A;
        buf[off++] = 0x00;
    }
    *len = off;
    return buf;
}

static void test_empty_submessages_refused(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = empty_activities(524278, &len);
    pbbudget b;
    pbbudget_init(&b, len);
    assert_null(huizong__request__unpack(&b.allocator, len, buf));
    assert_true(pbbudget_exhausted(&b));
    assert_true(b.used <= b.limit);
    assert_int_equal(b.limit, len * PBBUDGET_PER_BYTE + PBBUDGET_BASE);
    /* Unbounded, the same frame takes ~96 bytes per record. */
    pbbudget_init_limit(&b, SIZE_MAX);
    Huizong__Request *r = huizong__request__unpack(&b.allocator, len, buf);
    assert_non_null(r);
    assert_true(b.used > 80 * len / 2);
    huizong__request__free_unpacked(r, NULL);
    free(buf);
}

static void test_malformed_is_not_exhausted(void **state)
{
    (void)state;
    static const uint8_t bad[] = { 0x5A, 0x05, 0x0A };  /* length past the end */
    pbbudget b;
    pbbudget_init(&b, sizeof bad);
    assert_null(huizong__request__unpack(&b.allocator, sizeof bad, bad));
    assert_false(pbbudget_exhausted(&b));
}

static void test_small_request_fits(void **state)
{
    (void)state;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Hello h = HUIZONG__HELLO__INIT;
    h.protocol_version = 1, h.client_name = "huizong";
    req.request_id = 9, req.body_case = HUIZONG__REQUEST__BODY_HELLO, req.hello = &h;
    size_t len;
    uint8_t *buf = pack(&req, &len);
    pbbudget b;
    pbbudget_init(&b, len);
    Huizong__Request *r = huizong__request__unpack(&b.allocator, len, buf);
    assert_non_null(r);
    assert_false(pbbudget_exhausted(&b));
    assert_string_equal(r->hello->client_name, "huizong");
    huizong__request__free_unpacked(r, NULL);
    free(buf);
}

static void test_limit_saturates(void **state)
{
    (void)state;
    assert_int_equal(pbbudget_limit(0), PBBUDGET_BASE);
    assert_int_equal(pbbudget_limit(SIZE_MAX / 2), SIZE_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_factor_covers_valid_requests),
        cmocka_unit_test(test_empty_submessages_refused),
        cmocka_unit_test(test_malformed_is_not_exhausted),
        cmocka_unit_test(test_small_request_fits),
        cmocka_unit_test(test_limit_saturates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
