/* Resilience against a real huizongd: SIGHUP re-reads the config file (the
 * reloadable settings take effect, the others wait for a restart, a broken
 * file changes nothing, new certificates reach new connections); PostgreSQL
 * going away and coming back (UNAVAILABLE, nothing written, then service
 * again without restarting the server); SIGTERM with a request in flight
 * (its reply still arrives, then the server exits 0). The SIGTERM test ends
 * the server, so it runs last. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>

#include "cert.h"
#include "harness.h"
#include "harness_assert.h"
#include "harness_resil.h"
#include "records.h"
#include "wire.h"

static harness H;
static char config_path[HARNESS_PATH];

static int group_setup(void **state)
{
    (void)state;
    /* Two settings on the command line, which must still win over the file
     * after a reload: one reloadable (ca_dir), one not (max_batch_records,
     * seen in HelloResult's limits). test_pg_outage stops and starts the
     * cluster by hand, as an operator would: the server does not restart it. */
    static const char *const args[] = {"--ca_dir=/nonexistent/cli-ca", "--max_batch_records=4000",
                                       "--pg_restart_delay=0", NULL};
    if (hr_start(&H, args, config_path) != 0)
        return -1;
    return harness_setup_tree(&H) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return harness_stop(&H) == 0 ? 0 : -1;
}

/* A new connection's HelloResult limits: max_frame_bytes, max_batch_records. */
static void hello_limits(uint32_t *frame, uint32_t *batch)
{
    SSL *s = harness_connect(&H, harness_issue_creds(&H, "c1", "community"));
    Huizong__Response *r = harness_hello(s, 1, HZ_PROTOCOL_VERSION);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_non_null(r->hello->limits);
    *frame = r->hello->limits->max_frame_bytes;
    *batch = r->hello->limits->max_batch_records;
    harness_response_free(r);
    harness_close(s);
}

static uint32_t hello_max_frame(void)
{
    uint32_t frame, batch;
    hello_limits(&frame, &batch);
    return frame;
}

static long activity_rows(const char *record_id)
{
    long n = harness_pg_count(&H, "select count(*) from activity where record_id = $1::uuid",
                              record_id);
    assert_true(n >= 0);
    return n;
}

/* ---- SIGHUP -------------------------------------------------------------- */

static void test_sighup_log_level(void **state)
{
    (void)state;
    harness_close(harness_connect_as(&H, "c1", "community"));
    assert_int_equal(hr_log_count(&H, " DEBUG "), 0);
    assert_int_equal(hr_write_config(&H, "log_level = debug\n"), 0);
    assert_int_equal(hr_sighup(&H), 0);
    assert_int_equal(hr_log_count(&H, "log_level reloaded: now \"debug\""), 1);
    harness_close(harness_connect_as(&H, "c1", "community"));
    assert_true(hr_log_count(&H, " DEBUG ") > 0);
}

static void test_sighup_command_line_wins(void **state)
{
    (void)state;
    uint32_t frame, batch;
    assert_int_equal(hr_write_config(&H, "log_level = debug\nmax_batch_records = 10\n"
                                         "ca_dir = /nonexistent/file-ca\n"),
                     0);
    assert_int_equal(hr_sighup(&H), 0);
    assert_int_equal(hr_log_count(&H, "max_batch_records changed"), 0);
    assert_int_equal(hr_log_count(&H, "ca_dir reloaded"), 0);
    hello_limits(&frame, &batch);
    assert_int_equal(batch, 4000);
    assert_int_equal(frame, 1048576);
}

static void test_sighup_non_reloadable(void **state)
{
    (void)state;
    char want[HARNESS_PATH + 80];
    snprintf(want, sizeof want, "max_frame_bytes changed in %s; takes effect after a restart",
             config_path);
    assert_int_equal(hello_max_frame(), 1048576);
    assert_int_equal(hr_write_config(&H, "log_level = debug\nmax_frame_bytes = 2000\n"), 0);
    assert_int_equal(hr_sighup(&H), 0);
    assert_int_equal(hr_log_count(&H, want), 1);
    assert_int_equal(hello_max_frame(), 1048576);
    /* A second SIGHUP with the same file says it again: still not applied. */
    assert_int_equal(hr_sighup(&H), 0);
    assert_int_equal(hr_log_count(&H, want), 2);
    assert_int_equal(hello_max_frame(), 1048576);
}

static void test_sighup_new_certificate(void **state)
{
    (void)state;
    unsigned char before[HR_FP_LEN], after[HR_FP_LEN], file[HR_FP_LEN];
    char crt[HARNESS_PATH + 16], err[256];
    SSL *old = harness_connect_as(&H, "c1", "community");
    assert_int_equal(hr_peer_fingerprint(old, before), 0);
    assert_int_equal(cert_issue_server(H.main_ca, "localhost,127.0.0.1", 30, H.server_creds,
                                       err, sizeof err),
                     0);
    snprintf(crt, sizeof crt, "%s/server.crt", H.server_creds);
    assert_int_equal(hr_file_fingerprint(crt, file), 0);
    assert_memory_not_equal(before, file, HR_FP_LEN);
    assert_int_equal(hr_sighup(&H), 0);
    SSL *s = harness_connect_as(&H, "c1", "community");
    assert_int_equal(hr_peer_fingerprint(s, after), 0);
    assert_memory_equal(after, file, HR_FP_LEN);
    harness_close(s);
    /* The connection opened before keeps working on its own session. */
    Huizong__Response *r = harness_hello(old, 2, HZ_PROTOCOL_VERSION);
    assert_non_null(r);
    harness_response_free(r);
    harness_close(old);
}

static void assert_reload_refused(const char *file_text, const char *why)
{
    long before = hr_log_count(&H, "SIGHUP: keeping the current settings: ");
    assert_int_equal(hr_write_config(&H, file_text), 0);
    assert_int_equal(hr_sighup(&H), 0);
    assert_int_equal(hr_log_count(&H, "SIGHUP: keeping the current settings: "), before + 1);
    assert_int_equal(hr_log_count(&H, why), 1);
    assert_true(harness_server_running(&H));
    assert_int_equal(hello_max_frame(), 1048576);
}

static void test_sighup_broken_config(void **state)
{
    (void)state;
    long reloaded = hr_log_count(&H, "reloaded: now");
    /* log_level = error first: a half-applied file would silence the log. */
    assert_reload_refused("log_level = error\nthis is not a setting\n",
                          "line 8: expected '=' after key");
    assert_reload_refused("log_level = error\nidle_timeout = soon\n",
                          "idle_timeout: want a duration");
    assert_reload_refused("log_level = error\nno_such_setting = 1\n",
                          "unknown setting \"no_such_setting\"");
    assert_reload_refused("log_level = loud\n", "log_level: want error, warn, info or debug");
    /* Nothing was half-applied: no setting took a new value. */
    assert_int_equal(hr_log_count(&H, "reloaded: now"), reloaded);
    assert_int_equal(hr_write_config(&H, "log_level = debug\n"), 0);
    assert_int_equal(hr_sighup(&H), 0);
}

/* ---- PostgreSQL outage --------------------------------------------------- */

static Huizong__Request *one_activity(uint64_t id, const char *title)
{
    Huizong__Request *req = rec_request(id);
    Huizong__SubmitBatch *b = rec_submit(req);
    rec_activity(b, "c1", "2021-03-01", "fire", 12, title);
    return req;
}

static void test_pg_outage(void **state)
{
    (void)state;
    const char *creds = harness_issue_creds(&H, "c1", "community");
    SSL *s = harness_connect_as(&H, "c1", "community");
    Huizong__Request *req = one_activity(500, "停电演练");
    const char *rid = req->submit->activities[0]->record_id;

    assert_int_equal(hr_pg_ctl(&H, "stop"), 0);
    Huizong__Response *r = harness_call(s, req);
    harness_assert_status(r, HUIZONG__STATUS__UNAVAILABLE);
    assert_int_equal(r->request_id, 500);
    assert_string_equal(r->message, "database unavailable; nothing was written, retry later");
    harness_response_free(r);

    SSL *n = harness_connect(&H, creds);
    assert_non_null(n);
    r = harness_hello(n, 1, HZ_PROTOCOL_VERSION);
    harness_assert_status(r, HUIZONG__STATUS__UNAVAILABLE);
    assert_string_equal(r->message,
                        "cannot check the certificate now (database unavailable); retry later");
    harness_response_free(r);
    assert_int_equal(harness_wait_close(n), 1);
    harness_close(n);
    assert_true(harness_server_running(&H));

    assert_int_equal(hr_pg_ctl(&H, "start"), 0);
    if (H.pg) { /* its connection died with the cluster */
        PQfinish(H.pg);
        H.pg = NULL;
    }
    assert_int_equal(activity_rows(rid), 0);

    /* The client's retry: the same batch, on the same connection. */
    r = hr_call_until_available(s, req, 501, 20000);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->submit->accepted, 1);
    harness_response_free(r);
    assert_int_equal(activity_rows(rid), 1);
    harness_close(harness_connect_as(&H, "c1", "community"));
    rec_free(req);
    harness_close(s);
}

/* ---- SIGTERM (last: it ends the server) ---------------------------------- */

static void pg_exec_ok(const char *sql)
{
    PGresult *res = PQexec(harness_pg(&H), sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(res));
    PQclear(res);
}

static void test_sigterm_in_flight(void **state)
{
    (void)state;
    SSL *s = harness_connect_as(&H, "c2", "community");
    Huizong__Request *req = rec_request(700);
    rec_activity(rec_submit(req), "c2", "2021-04-01", "culture", 8, "关机前提交");
    const char *rid = req->submit->activities[0]->record_id;

    /* Hold the submit inside PostgreSQL so it is surely in flight. */
    assert_non_null(harness_pg(&H));
    pg_exec_ok("BEGIN");
    pg_exec_ok("LOCK TABLE submission IN ACCESS EXCLUSIVE MODE");
    assert_int_equal(harness_send_request(s, req), 0);
    /* pg_locks is live, not a transaction snapshot: wait until the submit
     * is queued behind the lock. */
    long waiting = 0;
    for (int waited = 0; waiting < 1 && waited < 10000; waited += 50) {
        harness_sleep_ms(50);
        waiting = harness_pg_count(&H, "select count(*) from pg_locks where not granted", NULL);
    }
    assert_true(waiting >= 1);
    assert_int_equal(kill(H.pid, SIGTERM), 0);
    harness_sleep_ms(700);
    assert_true(harness_server_running(&H));
    assert_int_equal(hr_log_count(&H, "draining: 1 connection(s) open"), 1);
    pg_exec_ok("COMMIT");

    Huizong__Response *r = harness_recv_response(s);
    harness_assert_status(r, HUIZONG__STATUS__OK);
    assert_int_equal(r->request_id, 700);
    assert_int_equal(r->submit->accepted, 1);
    harness_response_free(r);
    assert_int_equal(harness_wait_close(s), 1);
    assert_int_equal(activity_rows(rid), 1);
    PQfinish(H.pg); /* before the server stops its cluster */
    H.pg = NULL;

    int status = 0;
    assert_int_equal(hr_wait_exit(&H, 30000, &status), 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    rec_free(req);
    harness_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sighup_log_level),
        cmocka_unit_test(test_sighup_command_line_wins),
        cmocka_unit_test(test_sighup_non_reloadable),
        cmocka_unit_test(test_sighup_new_certificate),
        cmocka_unit_test(test_sighup_broken_config),
        cmocka_unit_test(test_pg_outage),
        cmocka_unit_test(test_sigterm_in_flight),
    };
    return cmocka_run_group_tests_name("resilience", tests, group_setup, group_teardown);
}
