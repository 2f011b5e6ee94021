/* Small inputs that used to pin large memory (docs/memory.md): a 1 MiB
 * frame of empty submessages against the unpack budget, and many partial
 * frames against max_partial_frame_bytes. The server here accepts batches
 * of up to 1,000,000 records, so the unpack budget, not the batch limit,
 * is what refuses the frame; its cap on partial frames is 8 MiB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "harness.h"
#include "harness_assert.h"
#include "harness_mem.h"
#include "records.h"

/* Bounds on the server's peak RSS growth, with room for the ASan build the
 * tests run in (its redzones and shadow memory): well below what the same
 * inputs cost without the limits: +95 MB on a Release build for the first;
 * the flood took +60 MB here without the cap, +27 MB with it. */
#define MEM_BUDGET_BOUND_KB (40L << 10)
#define MEM_FLOOD_BOUND_KB (40L << 10)
#define MEM_FLOOD_CONNS 30
#define MEM_FRAME (1u << 20)

static harness H;

static int group_setup(void **state)
{
    (void)state;
    harness_opts o = {{"--max_batch_records=1000000", "--max_partial_frame_bytes=8388608",
                       "--frame_timeout=6s", NULL}};
    if (harness_start(&H, &o) != 0)
        return -1;
    return harness_setup_tree(&H) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return harness_stop(&H) == 0 ? 0 : -1;
}

static long activities(void)
{
    long n = harness_pg_count(&H, "select count(*) from activity", NULL);
    assert_true(n >= 0);
    return n;
}

/* One small valid submit on s: OK, one record accepted. */
static void assert_served(SSL *s, uint64_t id, size_t records)
{
    Huizong__Request *req = rec_request(id);
    Huizong__SubmitBatch *b = rec_submit(req);
    for (size_t i = 0; i < records; i++)
        rec_activity(b, "c1", "2021-05-01", "culture", 10, "served during the test");
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->submit->accepted, records);
    harness_response_free(r);
    rec_free(req);
}

/* 524,278 empty Activity records in one 1 MiB frame: 96 bytes of memory
 * per 2 bytes of wire. The budget refuses it before the memory is spent. */
static void test_empty_activities_over_budget(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c1", "community");
    size_t len;
    uint8_t *frame = harness_mem_empty_activities(7, 524278, &len);
    long before = activities();
    harness_mem_mark m;

    assert_int_equal(len - 4, 1048562);
    assert_int_equal(harness_mem_begin(&H, &m), 0);
    assert_int_equal(harness_send_raw(s, frame, len), 0);
    Huizong__Response *r = harness_recv_response(s);
    long growth = harness_mem_peak_growth_kb(&H, &m);
    fprintf(stderr, "empty activities: server peak RSS growth %ld kB\n", growth);
    harness_assert_status(r, HUIZONG__STATUS__RESOURCE_EXHAUSTED);
    assert_int_equal(r->request_id, 7);
    assert_string_equal(r->message, "request refused: unpacking this frame of 1048562 bytes would "
                                    "take more than 16842528 bytes of memory; nothing was written");
    harness_response_free(r);
    assert_true(growth >= 0);
    assert_true(growth < MEM_BUDGET_BOUND_KB);
    assert_int_equal(activities(), before);
    assert_served(s, 8, 1); /* the connection goes on */
    free(frame);
    harness_close(s);
}

/* 30 connections each announce a 1 MiB frame and send all but 10 bytes of
 * it. Only 7 fit in the 8 MiB cap; the others wait, reading no more. A real
 * client's small request is served at once; its ~40 KiB batch (which needs
 * a reservation) is served too while the flood is still open, since frames
 * that do not complete within frame_timeout (6 s here, longer than the flood takes to open) are refused and
 * their connections closed. */
static void test_partial_frames_capped(void **state)
{
    (void)state;
    const char *creds = harness_issue_creds(&H, "c1", "community");
    SSL *flood[MEM_FLOOD_CONNS];
    harness_mem_mark m;

    assert_non_null(creds);
    assert_int_equal(harness_mem_begin(&H, &m), 0);
    size_t n = harness_mem_partial_flood(&H, creds, MEM_FLOOD_CONNS, MEM_FRAME, MEM_FRAME - 10,
                                         flood);
    assert_int_equal(n, MEM_FLOOD_CONNS);
    SSL *s = harness_connect_as(&H, "c1", "community");
    assert_served(s, 20, 1);
    long growth = harness_mem_peak_growth_kb(&H, &m);
    fprintf(stderr, "partial frames: server peak RSS growth %ld kB\n", growth);
    assert_true(growth >= 0);
    assert_true(growth < MEM_FLOOD_BOUND_KB);
    assert_int_equal(harness_log_contains(&H, "connection(s) wait to read a frame"), 1);
    /* Behind 23 waiting frames, each round of 7 cut after 6 s. */
    struct timeval tv = {60, 0};
    setsockopt(SSL_get_fd(s), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    assert_served(s, 21, 300);
    assert_int_equal(harness_log_contains(&H, "frame of 1048576 bytes not complete after 6000 ms "
                                              "while other frames wait for max_partial_frame_bytes; "
                                              "closing"),
                     1);
    for (size_t i = 0; i < n; i++)
        harness_close(flood[i]);
    harness_close(s);
    /* What is left once the buffers went back (malloc_trim, at most once a
     * second): printed for docs/memory.md; ASan's quarantine keeps freed
     * memory, so only a Release build shows it. */
    harness_sleep_ms(1500);
    fprintf(stderr, "partial frames: server RSS after close %+ld kB\n",
            harness_server_mem_kb(&H, "VmRSS") - m.rss_kb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_activities_over_budget),
        cmocka_unit_test(test_partial_frames_capped),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
