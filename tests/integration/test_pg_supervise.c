/* The embedded PostgreSQL supervised by huizongd (docs/ops-resilience.md):
 * the postmaster killed with SIGKILL, then stopped with pg_ctl -m immediate,
 * under a live client connection. Each time requests get UNAVAILABLE while
 * the cluster is gone, huizongd logs that it noticed and each restart
 * attempt, starts the cluster by itself, the same connection's next submit
 * succeeds, and every record acknowledged before is there once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "harness_assert.h"
#include "harness_resil.h"
#include "records.h"

static harness H;
static SSL *S;
static char acked[16][REC_UUID_LEN];
static int n_acked;
static uint64_t next_id = 1;

static int group_setup(void **state)
{
    (void)state;
    /* 2 s before the first attempt: time to see the outage from outside. */
    harness_opts o = {.args = {"--pg_restart_delay=2s", NULL}};
    if (harness_start(&H, &o) != 0 || harness_setup_tree(&H) != 0)
        return -1;
    harness_issue_creds(&H, "c1", "community");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    harness_close(S);
    return harness_stop(&H) == 0 ? 0 : -1;
}

static Huizong__Request *one_activity(const char *title)
{
    Huizong__Request *req = rec_request(next_id++);
    rec_activity(rec_submit(req), "c1", "2021-03-01", "fire", 12, title);
    return req;
}

/* A submit that must be acknowledged; its record id is remembered. */
static void submit_acked(const char *title)
{
    Huizong__Request *req = one_activity(title);
    Huizong__Response *r = harness_call(S, req);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->submit->accepted, 1);
    snprintf(acked[n_acked++], REC_UUID_LEN, "%s", req->submit->activities[0]->record_id);
    harness_response_free(r);
    rec_free(req);
}

static void wait_log(const char *needle, long count, long timeout_ms)
{
    for (long waited = 0; hr_log_count(&H, needle) < count; waited += 50) {
        if (waited >= timeout_ms) {
            harness_log_tail(&H, 30);
            fail_msg("no %ld lines \"%s\" in the server log after %ld ms", count, needle,
                     timeout_ms);
        }
        harness_sleep_ms(50);
    }
}

static void assert_all_acked_once(void)
{
    if (H.pg) { /* its connection died with the cluster */
        PQfinish(H.pg);
        H.pg = NULL;
    }
    for (int i = 0; i < n_acked; i++)
        assert_int_equal(harness_pg_count(&H, "select count(*) from activity where record_id = $1::uuid",
                                          acked[i]),
                         1);
}

/* The outage, seen from the client, then the recovery; `nth`: how many
 * outages the log holds by now. */
static void outage_and_recovery(long nth, const char *title)
{
    wait_log("embedded PostgreSQL is not running", nth, 5000);
    Huizong__Request *req = one_activity(title);
    Huizong__Response *r = harness_call(S, req);
    harness_assert_status(r, HUIZONG__STATUS__UNAVAILABLE);
    assert_string_equal(r->message, "database unavailable; nothing was written, retry later");
    harness_response_free(r);
    assert_true(harness_server_running(&H));

    wait_log("embedded PostgreSQL: restart attempt", nth, 10000);
    wait_log("embedded PostgreSQL restarted after", nth, 60000);
    /* The client's retry: the same batch, on the same connection. */
    r = hr_call_until_available(S, req, next_id, 20000);
    next_id += 20000;
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->submit->accepted, 1);
    snprintf(acked[n_acked++], REC_UUID_LEN, "%s", req->submit->activities[0]->record_id);
    harness_response_free(r);
    rec_free(req);
    assert_all_acked_once();
}

static void test_postmaster_sigkill(void **state)
{
    (void)state;
    S = harness_connect_as(&H, "c1", "community");
    for (int i = 0; i < 3; i++)
        submit_acked("断电前");
    pid_t pm = harness_postmaster(&H);
    assert_true(pm > 0);
    assert_int_equal(kill(pm, SIGKILL), 0);
    outage_and_recovery(1, "断电后");
    assert_true(harness_postmaster(&H) != pm);
}

static void test_pg_ctl_immediate_stop(void **state)
{
    (void)state;
    submit_acked("停机前");
    assert_int_equal(hr_pg_ctl(&H, "stop"), 0);
    outage_and_recovery(2, "停机后");
    assert_int_equal(n_acked, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_postmaster_sigkill),
        cmocka_unit_test(test_pg_ctl_immediate_stop),
    };
    return cmocka_run_group_tests_name("pg_supervise", tests, group_setup, group_teardown);
}
