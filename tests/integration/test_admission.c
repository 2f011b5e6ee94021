/* Admission under an anonymous flood (docs/security.md): silent TCP
 * connections from two addresses fill the handshake budget and keep
 * reconnecting while the real huizong client is served; the counters of
 * `admin stats` and the one summary line per interval show what the limits
 * did. Refused at accept (closed before TLS) or over the authenticated
 * ceiling (Hello answered UNAVAILABLE), the client says "server busy
 * (connection limit); retry later" (exit 3). A Hello whose
 * client_name carries ESC and a newline is logged escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "harness_assert.h"
#include "harness_resil.h"
#include "harness_spool.h"
#include "wire.h"

#define FLOOD_PER_ADDRESS 15 /* more than max_handshakes_per_address */
#define FLOOD_ADDRESSES 2

static harness H;
static const char *admin_creds;

static int group_setup(void **state)
{
    harness_opts o = {{"--max_handshakes=20", "--max_handshakes_per_address=10",
                       "--max_authenticated=3", "--admission_log_interval=1s",
                       "--handshake_timeout=30s", NULL}};

    (void)state;
    if (harness_start(&H, &o) != 0 || harness_setup_tree(&H) != 0)
        return -1;
    admin_creds = harness_issue_creds(&H, "d1", "admin");
    return admin_creds ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return harness_stop(&H) == 0 ? 0 : -1;
}

/* --- the flood: silent connections from 127.0.0.2 and 127.0.0.3 ---------- */

typedef struct {
    int fd[FLOOD_ADDRESSES * FLOOD_PER_ADDRESS];
    long reopened;
} flood;

/* A non-blocking connect from 127.0.0.(2 + k) that never sends a byte. */
static int flood_open(int port, int k)
{
    struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    src.sin_addr.s_addr = htonl(0x7f000002u + (uint32_t)k);
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    dst.sin_port = htons((uint16_t)port);
    if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0 ||
        (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) != 0 && errno != EINPROGRESS)) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Closes without TIME_WAIT on this side, so reconnecting never runs out of ports. */
static void flood_close(int fd)
{
    struct linger l = {1, 0};

    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    close(fd);
}

/* Reopens every connection the server has closed (EOF or reset). */
static void flood_pump(flood *f)
{
    char b;

    for (int i = 0; i < FLOOD_ADDRESSES * FLOOD_PER_ADDRESS; i++) {
        struct pollfd p = {f->fd[i], POLLIN, 0};
        if (f->fd[i] >= 0 && (poll(&p, 1, 0) == 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR))))
            continue;
        if (f->fd[i] >= 0 && recv(f->fd[i], &b, 1, MSG_DONTWAIT) > 0)
            continue; /* the server never speaks first; cannot happen */
        if (f->fd[i] >= 0)
            flood_close(f->fd[i]);
        f->fd[i] = flood_open(H.port, i / FLOOD_PER_ADDRESS);
        f->reopened++;
    }
}

static void flood_start(flood *f)
{
    f->reopened = 0;
    for (int i = 0; i < FLOOD_ADDRESSES * FLOOD_PER_ADDRESS; i++) {
        f->fd[i] = flood_open(H.port, i / FLOOD_PER_ADDRESS);
        assert_true(f->fd[i] >= 0);
    }
    harness_sleep_ms(300); /* the server takes them on: the budget is full */
}

static void flood_stop(flood *f)
{
    for (int i = 0; i < FLOOD_ADDRESSES * FLOOD_PER_ADDRESS; i++)
        if (f->fd[i] >= 0)
            flood_close(f->fd[i]);
}

/* Runs the real client while the flood keeps reconnecting; its exit code. */
static int client_during_flood(flood *f, char *const args[], const char *out)
{
    pid_t pid;
    int status;

    for (int i = 0; i < 10; i++) /* the budget is full again when the client comes */
        flood_pump(f), harness_sleep_ms(10);
    pid = harness_client_spawn(H.dir, out, args);
    assert_true(pid > 0);
    while (waitpid(pid, &status, WNOHANG) == 0) {
        flood_pump(f);
        harness_sleep_ms(10);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "r");
    char *buf = calloc(1, 1 << 16);

    assert_non_null(fp);
    assert_non_null(buf);
    if (fread(buf, 1, (1 << 16) - 1, fp) == 0)
        buf[0] = '\0';
    fclose(fp);
    return buf;
}

/* A number field of the stats JSON ("name": 12 or "name": "12"). */
static unsigned long long json_number(const char *json, const char *name)
{
    char key[80];
    const char *p;

    snprintf(key, sizeof key, "\"%s\"", name);
    p = strstr(json, key);
    if (!p)
        return 0; /* proto3 JSON leaves zeros out */
    p += strlen(key);
    while (*p == ' ' || *p == ':' || *p == '"')
        p++;
    return strtoull(p, NULL, 10);
}

static void test_client_served_during_flood(void **state)
{
    char server[64], out[HARNESS_PATH + 16];
    flood f;
    char *stats;

    (void)state;
    snprintf(server, sizeof server, "127.0.0.1:%d", H.port);
    snprintf(out, sizeof out, "%s/stats.out", H.dir);
    char *args[] = {"--server", server, "--creds", (char *)admin_creds, "admin", "stats",
                    "--format", "json", NULL};
    flood_start(&f);
    for (int round = 0; round < 5; round++) {
        int rc = client_during_flood(&f, args, out);
        if (rc != 0)
            print_message("client output: %s\n", slurp(out));
        assert_int_equal(rc, 0);
    }
    /* The flood goes on for a while after the last client, as attackers do. */
    for (int i = 0; i < 50; i++)
        flood_pump(&f), harness_sleep_ms(10);
    assert_true(f.reopened > 0);
    assert_int_equal(client_during_flood(&f, args, out), 0);
    flood_stop(&f);

    stats = slurp(out);
    print_message("stats: %s\n", stats);
    assert_true(json_number(stats, "connections_handshaking") > 10); /* both addresses */
    assert_true(json_number(stats, "connections_handshaking") <= 20);
    assert_true(json_number(stats, "connections_authenticated") >= 1);
    assert_true(json_number(stats, "handshakes_dropped") >= 6); /* one per client run at least */
    assert_true(json_number(stats, "refused_per_address") >= 10);
    assert_true(json_number(stats, "connections_refused") >=
                json_number(stats, "refused_per_address") + json_number(stats, "refused_handshake_budget"));
    free(stats);

    harness_sleep_ms(1500); /* one summary interval */
    assert_true(hr_log_count(&H, "admission: refused ") >= 1);
    assert_true(hr_log_count(&H, "connection(s) over the per-address limit "
                                 "(max_handshakes_per_address 10) in the last 1s") >= 1);
    assert_true(hr_log_count(&H, "oldest connection(s) without Hello to make room "
                                 "(max_handshakes 20 reached) in the last 1s") >= 1);
    /* Summarised, not one line per connection. */
    assert_int_equal(hr_log_count(&H, "refused connection"), 0);
    assert_true(hr_log_count(&H, "admission: ") < f.reopened / 4);
    assert_true(harness_server_running(&H));
}

/* The real client is refused and says why: exit 3, "server busy", and not
 * a word of a handshake failure. */
static void assert_client_busy(char *const args[], const char *out)
{
    char *text;

    assert_int_equal(harness_client_run(H.dir, out, args), 3);
    text = slurp(out);
    print_message("client: %s", text);
    harness_assert_contains(text, "server busy (connection limit); retry later");
    assert_null(strstr(text, "TLS handshake failed"));
    free(text);
}

/* Refused at accept (the per-address limit): closed before any TLS; the
 * client says the server is busy, not that the handshake failed. */
static void test_busy_at_accept(void **state)
{
    char server[64], out[HARNESS_PATH + 16];
    int fd[10];
    char *text;
    unsigned long long before;

    (void)state;
    snprintf(server, sizeof server, "127.0.0.1:%d", H.port);
    snprintf(out, sizeof out, "%s/accept.out", H.dir);
    char *args[] = {"--server", server, "--creds", (char *)admin_creds, "admin", "stats",
                    "--format", "json", NULL};
    harness_sleep_ms(500); /* the flood's connections are gone */
    assert_int_equal(harness_client_run(H.dir, out, args), 0);
    text = slurp(out);
    before = json_number(text, "refused_per_address");
    free(text);
    for (int i = 0; i < 10; i++)
        assert_true((fd[i] = flood_open(H.port, -1)) >= 0); /* from 127.0.0.1 */
    harness_sleep_ms(300);
    assert_client_busy(args, out);
    for (int i = 0; i < 10; i++)
        flood_close(fd[i]);
    harness_sleep_ms(300);
    assert_int_equal(harness_client_run(H.dir, out, args), 0);
    text = slurp(out);
    assert_true(json_number(text, "refused_per_address") == before + 1);
    free(text);
}

static void test_busy_at_authenticated_ceiling(void **state)
{
    char server[64], out[HARNESS_PATH + 16];
    SSL *held[3];
    char *text;

    (void)state;
    harness_sleep_ms(500); /* the previous test's clients are gone */
    snprintf(server, sizeof server, "127.0.0.1:%d", H.port);
    snprintf(out, sizeof out, "%s/busy.out", H.dir);
    char *args[] = {"--server", server, "--creds", (char *)admin_creds, "admin", "stats", NULL};
    for (int i = 0; i < 3; i++)
        assert_non_null(held[i] = harness_connect_as(&H, "c1", "community"));

    /* The protocol: Hello answered UNAVAILABLE with the reason, then closed. */
    SSL *s = harness_connect(&H, harness_issue_creds(&H, "c1", "community"));
    assert_non_null(s);
    Huizong__Response *r = harness_hello(s, 7, HZ_PROTOCOL_VERSION);
    assert_non_null(r);
    assert_int_equal(r->request_id, 7);
    harness_assert_status(r, HUIZONG__STATUS__UNAVAILABLE);
    assert_string_equal(r->message, "server busy (connection limit); retry later");
    assert_int_equal(harness_wait_close(s), 1);
    harness_response_free(r);
    harness_close(s);

    /* The real client says so, exit 3. */
    assert_client_busy(args, out);

    /* A place freed is a place taken. */
    harness_close(held[0]);
    harness_sleep_ms(300);
    assert_int_equal(harness_client_run(H.dir, out, args), 0);
    text = slurp(out);
    harness_assert_contains(text, "busy at Hello");
    free(text);
    harness_close(held[1]);
    harness_close(held[2]);
    harness_sleep_ms(1500);
    assert_true(hr_log_count(&H, "admission: refused 2 Hello(s) over the authenticated ceiling "
                                 "(max_authenticated 3; answered UNAVAILABLE server busy) "
                                 "in the last 1s") +
                    hr_log_count(&H, "admission: refused 1 Hello(s) over the authenticated ceiling") >=
                1);
}

/* ESC and a newline in client_name reach the log as escapes. */
static void test_client_name_escaped_in_log(void **state)
{
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Hello hello = HUIZONG__HELLO__INIT;
    SSL *s;
    Huizong__Response *r;

    (void)state;
    s = harness_connect(&H, harness_issue_creds(&H, "c2", "community"));
    assert_non_null(s);
    hello.protocol_version = HZ_PROTOCOL_VERSION;
    hello.client_name = (char *)"evil\x1b[2J\x1b[31mred\n2026-01-01T00:00:00.000Z huizongd[1] INFO forged";
    req.request_id = 3;
    req.body_case = HUIZONG__REQUEST__BODY_HELLO;
    req.hello = &hello;
    r = harness_call(s, &req);
    assert_non_null(r);
    if (r->status == HUIZONG__STATUS__OK) {
        assert_int_equal(hr_log_count(&H, "hello from evil\\x1b[2J\\x1b[31mred\\n2026-01-01T00:00:00.000Z "
                                          "huizongd[1] INFO forged"), 1);
    } else {
        harness_assert_status(r, HUIZONG__STATUS__INVALID_ARGUMENT); /* refused as a bad field */
    }
    harness_response_free(r);
    harness_close(s);
    harness_sleep_ms(200);
    assert_int_equal(hr_log_count(&H, "\x1b"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_name_escaped_in_log),
        cmocka_unit_test(test_client_served_during_flood),
        cmocka_unit_test(test_busy_at_accept),
        cmocka_unit_test(test_busy_at_authenticated_ceiling),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
