/* The database pool against a real PostgreSQL, which pg_embedded starts in a
 * temporary directory (so the embedded cluster is tested too). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <event2/event.h>
#include <libpq-fe.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/pg_embedded.h"

static char tmpdir[] = "/tmp/hz-test-db-XXXXXX";
static pg_embedded pg;
static PGconn *admin; /* blocking side connection: fine in a test */

typedef struct {
    int called;
    int seq;
    db_status status;
    char json[128];
    char sqlstate[8];
    char message[256];
    int in_doubt;
    int64_t at_ms;
} outcome;

static int done_count;
static int64_t db_test_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void record_cb(void *arg, const db_result *r)
{
    outcome *o = arg;
    o->called++;
    o->seq = done_count++;
    o->status = r->status;
    o->in_doubt = r->in_doubt;
    o->at_ms = db_test_now_ms();
    snprintf(o->json, sizeof o->json, "%s", r->json ? r->json : "");
    snprintf(o->sqlstate, sizeof o->sqlstate, "%s", r->sqlstate ? r->sqlstate : "");
    snprintf(o->message, sizeof o->message, "%s", r->message ? r->message : "");
}

static void admin_exec(const char *sql)
{
    PGresult *r = PQexec(admin, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(admin));
    PQclear(r);
}

/* Runs the loop until `*count` reaches `target` or `ms` pass. */
static void run_until(struct event_base *base, const int *count, int target, int ms)
{
    int64_t end = db_test_now_ms() + ms;
    while (*count < target && db_test_now_ms() < end) {
        struct timeval tv = {0, 20000};
        event_base_loopexit(base, &tv);
        event_base_dispatch(base);
    }
}

static void run_for(struct event_base *base, int ms)
{
    int never = 0;
    run_until(base, &never, 1, ms);
}

static void wait_connected(struct event_base *base, db *d, size_t n)
{
    int64_t end = db_test_now_ms() + 10000;
    while (db_connected_count(d) < n && db_test_now_ms() < end)
        run_for(base, 20);
    assert_int_equal(db_connected_count(d), n);
}

static int group_setup(void **state)
{
    (void)state;
    char err[512];
    if (!mkdtemp(tmpdir))
        return -1;
    if (pg_embedded_start(&pg, tmpdir, "", "", err, sizeof err) != 0) {
        fprintf(stderr, "pg_embedded_start: %s\n", err);
        return -1;
    }
    if (!pg.started || strstr(pg.dsn, "dbname=huizong") == NULL)
        return -1;
    admin = PQconnectdb(pg.dsn);
    if (PQstatus(admin) != CONNECTION_OK) {
        fprintf(stderr, "connect %s: %s", pg.dsn, PQerrorMessage(admin));
        return -1;
    }
    admin_exec("CREATE FUNCTION hz_echo(p jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT p $$");
    admin_exec("CREATE FUNCTION hz_fail(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$ BEGIN "
               "RAISE EXCEPTION 'bad argument %', p->>'x' USING ERRCODE = '22023'; END $$");
    admin_exec("CREATE FUNCTION hz_sleep(p jsonb) RETURNS jsonb LANGUAGE sql AS $$ "
               "SELECT pg_sleep((p->>'s')::float8); SELECT p $$");
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int group_teardown(void **state)
{
    (void)state;
    PQfinish(admin);
    char sock[600];
    snprintf(sock, sizeof sock, "%s/.s.PGSQL.5432", pg.sockdir);
    pg_embedded_stop(&pg);
    pg_embedded_stop(&pg); /* a second stop is a no-op */
    int stopped = access(sock, F_OK) != 0;
    nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (!stopped)
        fprintf(stderr, "socket %s still there after stop\n", sock);
    return stopped ? 0 : -1;
}

static void test_concurrent_echo(void **state)
{
    (void)state;
    struct event_base *base = event_base_new();
    db *d = db_open(base, pg.dsn, 4);
    assert_non_null(d);
    outcome o[50] = {0};
    done_count = 0;
    for (int i = 0; i < 50; i++) {
        char arg[64];
        snprintf(arg, sizeof arg, "{\"i\":%d,\"s\":\"汇总\"}", i);
        assert_non_null(db_call_json(d, "hz_echo", arg, record_cb, &o[i]));
    }
    assert_int_equal(done_count, 0); /* never from inside db_call_json */
    run_until(base, &done_count, 50, 10000);
    for (int i = 0; i < 50; i++) {
        char want[64];
        snprintf(want, sizeof want, "{\"i\": %d, \"s\": \"汇总\"}", i);
        assert_int_equal(o[i].called, 1);
        assert_int_equal(o[i].status, DB_OK);
        assert_string_equal(o[i].json, want);
    }
    assert_int_equal(db_connected_count(d), 4);
    assert_int_equal(db_queue_length(d), 0);
    db_close(d);
    event_base_free(base);
}

typedef struct {
    const char *want;
    int same;
} big_outcome;

static void big_cb(void *arg, const db_result *r)
{
    big_outcome *b = arg;
    b->same = r->status == DB_OK && strcmp(r->json, b->want) == 0;
    done_count++;
}

/* Arguments larger than the socket buffer: sending takes several writes. */
static void test_large_argument(void **state)
{
    (void)state;
    struct event_base *base = event_base_new();
    db *d = db_open(base, pg.dsn, 2);
    enum { LEN = 4 << 20 };
    char *big = malloc(LEN + 3);
    big[0] = '"';
    for (int i = 1; i <= LEN; i++)
        big[i] = (char)('a' + i % 26);
    big[LEN + 1] = '"';
    big[LEN + 2] = '\0';
    big_outcome b[3] = {{big, 0}, {big, 0}, {big, 0}};
    done_count = 0;
    for (int i = 0; i < 3; i++)
        db_call_json(d, "hz_echo", big, big_cb, &b[i]);
    run_until(base, &done_count, 3, 30000);
    for (int i = 0; i < 3; i++)
        assert_true(b[i].same);
    free(big);
    db_close(d);
    event_base_free(base);
}

static void test_sql_error(void **state)
{
    (void)state;
    struct event_base *base = event_base_new();
    db *d = db_open(base, pg.dsn, 1);
    outcome o = {0}, after = {0};
    done_count = 0;
    db_call_json(d, "hz_fail", "{\"x\":\"line1\\nline2\"}", record_cb, &o);
    db_call_json(d, "hz_echo", "[1]", record_cb, &after);
    run_until(base, &done_count, 2, 10000);
    assert_int_equal(o.status, DB_ERROR);
    assert_string_equal(o.sqlstate, "22023");
    assert_string_equal(o.message, "bad argument line1 line2"); /* folded to one line */
    assert_string_equal(o.json, "");
    /* The failure leaves the connection usable. */
    assert_int_equal(after.status, DB_OK);
    assert_string_equal(after.json, "[1]");
    db_close(d);
    event_base_free(base);
}

static void test_cancel(void **state)
{
    (void)state;
    struct event_base *base = event_base_new();
    db *d = db_open(base, pg.dsn, 1);
    outcome o[5] = {0};
    db_call *c[5];
    done_count = 0;
    for (int i = 0; i < 5; i++)
        c[i] = db_call_json(d, "hz_echo", "{}", record_cb, &o[i]);
    assert_int_equal(db_queue_length(d), 5); /* nothing connected yet */
    db_cancel(c[2]);
    assert_int_equal(db_queue_length(d), 4);
    run_until(base, &done_count, 4, 10000);
    run_for(base, 100);
    assert_int_equal(o[2].called, 0);
    int want_seq[5] = {0, 1, -1, 2, 3}; /* FIFO, minus the cancelled one */
    for (int i = 0; i < 5; i++)
        if (i != 2) {
            assert_int_equal(o[i].called, 1);
            assert_int_equal(o[i].seq, want_seq[i]);
        }

    /* In flight: the result is discarded and the connection goes on. */
    outcome slow = {0}, next = {0};
    done_count = 0;
    db_call *s = db_call_json(d, "hz_sleep", "{\"s\":0.3}", record_cb, &slow);
    run_for(base, 100);
    assert_int_equal(db_queue_length(d), 0); /* it is on the wire */
    db_cancel(s);
    db_call_json(d, "hz_echo", "\"after\"", record_cb, &next);
    run_until(base, &done_count, 1, 10000);
    assert_int_equal(slow.called, 0);
    assert_int_equal(next.status, DB_OK);
    assert_string_equal(next.json, "\"after\"");

    /* Cancelling a call whose failure is already decided also holds. */
    outcome refused = {0};
    db_cancel(db_call_json(d, "BAD", "{}", record_cb, &refused));
    run_for(base, 50);
    assert_int_equal(refused.called, 0);
    db_close(d);
    event_base_free(base);
}

static void test_bad_function_name(void **state)
{
    (void)state;
    struct event_base *base = event_base_new();
    db *d = db_open(base, pg.dsn, 1);
    const char *bad[] = {"hz_echo($1); DROP TABLE x; --", "HZ_ECHO", "", "hz-echo", "9hz",
                         "a123456789012345678901234567890123456789012345678901234567890123"};
    enum { NBAD = sizeof bad / sizeof bad[0] };
    outcome o[NBAD + 1] = {0};
    done_count = 0;
    for (int i = 0; i < NBAD; i++)
        db_call_json(d, bad[i], "{}", record_cb, &o[i]);
    db_call_json(d, NULL, "{}", record_cb, &o[NBAD]);
    assert_int_equal(done_count, 0);
    assert_int_equal(db_queue_length(d), 0); /* never queued */
    run_until(base, &done_count, NBAD + 1, 5000);
    for (int i = 0; i <= NBAD; i++) {
        assert_int_equal(o[i].called, 1);
        assert_int_equal(o[i].status, DB_ERROR);
        assert_string_equal(o[i].sqlstate, "42602");
    }
    /* A valid name with digits passes validation (and fails in SQL). */
    outcome missing = {0};
    db_call_json(d, "hz_no_such_fn2", "{}", record_cb, &missing);
    run_until(base, &done_count, NBAD + 2, 10000);
    assert_int_equal(missing.status, DB_ERROR);
    assert_string_equal(missing.sqlstate, "42883"); /* undefined_function */
    db_close(d);
    event_base_free(base);
}

typedef struct {
    int terminated;
    int tries;
    int64_t at_ms;
    struct event *ev;
} killer;

/* Retries until the statement shows up: under load it may start late. */
static void kill_backend_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    killer *k = arg;
    struct timeval tv = {0, 100000};
    PGresult *r = PQexec(admin, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                "WHERE application_name = 'huizongd' "
                                "AND query LIKE 'SELECT hz_sleep(%'");
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        k->terminated = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    k->at_ms = db_test_now_ms();
    if (!k->terminated && ++k->tries < 20)
        evtimer_add(k->ev, &tv);
}

static void test_backend_killed(void **state)
{
    (void)state;
    struct event_base *base = event_base_new();
    db *d = db_open(base, pg.dsn, 2);
    wait_connected(base, d, 2);
    outcome slow = {0};
    killer k = {0};
    done_count = 0;
    int64_t t0 = db_test_now_ms();
    db_call_json(d, "hz_sleep", "{\"s\":3}", record_cb, &slow);
    k.ev = evtimer_new(base, kill_backend_cb, &k);
    struct timeval tv = {0, 300000};
    evtimer_add(k.ev, &tv);
    run_until(base, &done_count, 1, 10000);
    assert_int_equal(k.terminated, 1);
    assert_int_equal(slow.status, DB_UNAVAILABLE);
    /* Lost after it was sent: it may have committed, and says so. */
    assert_true(slow.in_doubt);
    /* It did not wait for the 3 s statement. */
    assert_true(slow.at_ms - k.at_ms < 1000);
    assert_true(slow.at_ms - t0 < 2900);
    assert_true(strlen(slow.message) > 0);
    /* Reconnects after its back-off, and serves again. */
    wait_connected(base, d, 2);
    outcome later = {0};
    db_call_json(d, "hz_echo", "{\"ok\":true}", record_cb, &later);
    run_until(base, &done_count, 2, 10000);
    assert_int_equal(later.status, DB_OK);
    assert_string_equal(later.json, "{\"ok\": true}");
    event_free(k.ev);
    db_close(d);
    event_base_free(base);
}

/* A listener that never answers: connecting hangs until the pool's deadline. */
static int silent_listener(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 8), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

/* No answer: calls wait 5 s, then fail; a full queue refuses at once; the
 * hung connect is abandoned after 10 s and retried. */
static void test_unreachable(void **state)
{
    (void)state;
    struct event_base *base = event_base_new();
    char dsn[200];
    int port, lfd = silent_listener(&port);
    snprintf(dsn, sizeof dsn, "postgresql://127.0.0.1:%d/huizong?sslmode=disable", port);
    db *d = db_open(base, dsn, 1);
    enum { N = 10000 };
    outcome *o = calloc(N + 1, sizeof *o);
    done_count = 0;
    int64_t t0 = db_test_now_ms();
    for (int i = 0; i <= N; i++)
        db_call_json(d, "hz_echo", "{}", record_cb, &o[i]);
    assert_int_equal(db_queue_length(d), N);
    run_until(base, &done_count, 1, 1000);
    assert_int_equal(done_count, 1);
    assert_int_equal(o[N].status, DB_UNAVAILABLE);
    assert_string_equal(o[N].message, "database queue full");
    run_until(base, &done_count, N + 1, 8000);
    assert_int_equal(done_count, N + 1);
    for (int i = 0; i < N; i++) {
        assert_int_equal(o[i].status, DB_UNAVAILABLE);
        assert_false(o[i].in_doubt); /* never sent: certainly not written */
    }
    assert_true(o[0].at_ms - t0 >= 4900);
    assert_int_equal(db_connected_count(d), 0);
    assert_int_equal(db_queue_length(d), 0);

    int accepted[2] = {-1, -1};
    int64_t second_at = 0;
    while (accepted[1] < 0 && db_test_now_ms() - t0 < 14000) {
        run_for(base, 50);
        int fd = accept(lfd, NULL, NULL);
        if (fd >= 0) {
            accepted[accepted[0] < 0 ? 0 : 1] = fd;
            second_at = db_test_now_ms();
        }
    }
    assert_true(accepted[1] >= 0);
    assert_true(second_at - t0 >= 9500);
    close(accepted[0]);
    close(accepted[1]);
    close(lfd);
    free(o);
    db_close(d);
    event_base_free(base);
}

static db *closing_db;
static void close_from_cb(void *arg, const db_result *r)
{
    record_cb(arg, r);
    db_close(closing_db);
}

/* db_close with calls queued, in flight and decided: no callback, no leak. */
static void test_close_with_pending(void **state)
{
    (void)state;
    struct event_base *base = event_base_new();
    db *d = db_open(base, pg.dsn, 1);
    outcome o[4] = {0};
    done_count = 0;
    db_call_json(d, "hz_sleep", "{\"s\":0.5}", record_cb, &o[0]);
    db_call_json(d, "hz_echo", "{}", record_cb, &o[1]);
    run_for(base, 200);
    db_call_json(d, "BAD", "{}", record_cb, &o[2]);
    db_close(d);
    run_for(base, 100);
    assert_int_equal(done_count, 0);

    /* Closing from inside a callback stops the rest. */
    closing_db = db_open(base, pg.dsn, 1);
    done_count = 0;
    db_call_json(closing_db, "BAD", "{}", close_from_cb, &o[3]);
    db_call_json(closing_db, "BAD", "{}", close_from_cb, &o[3]);
    run_for(base, 100);
    assert_int_equal(done_count, 1);
    event_base_free(base);
}

/* A running cluster is reused (and then not ours to stop); a stopped one
 * starts again without a second initdb. */
static void test_embedded_restart(void **state)
{
    (void)state;
    char err[512], initlog[600];
    struct stat before, after;
    pg_embedded again;
    snprintf(initlog, sizeof initlog, "%s/initdb.log", tmpdir);
    assert_int_equal(stat(initlog, &before), 0);
    assert_int_equal(pg_embedded_start(&again, tmpdir, "", "", err, sizeof err), 0);
    assert_int_equal(again.started, 0);
    assert_string_equal(again.dsn, pg.dsn);
    assert_string_equal(again.run_as, geteuid() == 0 ? "postgres" : "");
    pg_embedded_stop(&again); /* not ours: still running */
    assert_int_equal(PQstatus(admin), CONNECTION_OK);
    admin_exec("SELECT 1");

    PQfinish(admin);
    pg_embedded_stop(&pg);
    assert_int_equal(pg.started, 0);
    assert_int_equal(pg_embedded_start(&pg, tmpdir, "", NULL, err, sizeof err), 0);
    assert_int_equal(pg.started, 1);
    assert_int_equal(stat(initlog, &after), 0);
    assert_int_equal(after.st_size, before.st_size);
    admin = PQconnectdb(pg.dsn);
    assert_int_equal(PQstatus(admin), CONNECTION_OK);
    admin_exec("SELECT hz_echo('1')"); /* the data survived */

    pg_embedded bad;
    assert_int_equal(pg_embedded_start(&bad, tmpdir, "/nonexistent/bin", "", err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "/nonexistent/bin"));

    if (geteuid() == 0) { /* the cluster's user must be able to reach its files */
        char closed[600], inside[700];
        snprintf(closed, sizeof closed, "%s/closed", tmpdir);
        snprintf(inside, sizeof inside, "%s/data", closed);
        assert_int_equal(mkdir(closed, 0700), 0);
        assert_int_equal(pg_embedded_start(&bad, inside, "", "", err, sizeof err), -1);
        assert_non_null(strstr(err, closed));
        assert_non_null(strstr(err, "not traversable"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_echo),
        cmocka_unit_test(test_large_argument),
        cmocka_unit_test(test_sql_error),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_bad_function_name),
        cmocka_unit_test(test_backend_killed),
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test(test_close_with_pending),
        cmocka_unit_test(test_embedded_restart),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
