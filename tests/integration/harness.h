/* Integration-test harness: a real huizongd (with its embedded PostgreSQL
 * cluster) in a private temp dir, certificates made on the spot, TLS clients
 * that speak the framed protocol, and a libpq connection for looking at what
 * was (or was not) written. Nothing is mocked.
 *
 * The server binary comes from $HZ_SERVER. Every harness owns one temp dir
 * and one server on a free port, so test executables run in parallel. */
#ifndef HZ_IT_HARNESS_H
#define HZ_IT_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <libpq-fe.h>
#include <openssl/ssl.h>

#include "huizong.pb-c.h"

#define HARNESS_MAX_ARGS 16
#define HARNESS_MAX_CREDS 32
#define HARNESS_PATH 512
#define HARNESS_READ_TIMEOUT_S 10
#define HARNESS_MAX_OPEN 64 /* connections tracked for harness_close_all */
#define HARNESS_SPAWN_ARGS (8 + HARNESS_MAX_ARGS) /* arguments harness_spawn passes on */

typedef struct {
    /* Extra "--key=value" options for huizongd; NULL-terminated. */
    const char *args[HARNESS_MAX_ARGS];
} harness_opts;

typedef struct {
    char dir[HARNESS_PATH];          /* private temp dir, removed at stop */
    char data_dir[HARNESS_PATH];
    char log_path[HARNESS_PATH];     /* the server's stdout and stderr */
    char server_creds[HARNESS_PATH]; /* server.crt, server.key, ca.crt */
    char main_ca[HARNESS_PATH];      /* the CA the server trusts */
    char dsn[HARNESS_PATH + 64];
    pid_t pid;                       /* -1: exited, reaped into exit_status */
    int exit_status;
    int port;
    PGconn *pg;
    char creds[HARNESS_MAX_CREDS][HARNESS_PATH];
    size_t n_creds;
} harness;

/* --- server life (harness.c) --------------------------------------------- */

/* Makes the temp dir and certificates, starts huizongd and waits (90 s at
 * most) for its "ready on 127.0.0.1:PORT" line. Returns 0, or -1 after
 * printing why (and the server's log) to stderr and cleaning up. */
int harness_start(harness *h, const harness_opts *opts);
/* SIGTERM, wait, SIGKILL if needed; closes the libpq connection and removes
 * the temp dir (kept when $HZ_KEEP_TMP is set). Returns 0 when the server
 * exited with status 0, -1 otherwise (crash, sanitizer report, kill). */
int harness_stop(harness *h);
/* harness_start, then harness_setup_tree: the usual group setup. 0 or -1. */
int harness_start_tree(harness *h);
/* 1 while the server process is running. */
int harness_server_running(harness *h);
/* Prints the last `lines` lines of the server log to stderr. */
void harness_log_tail(const harness *h, int lines);

/* Issues client credentials (client.crt, client.key, ca.crt) for (unit, role)
 * from the server's CA; returns the directory, owned by h, or NULL. */
const char *harness_issue_creds(harness *h, const char *unit, const char *role);
/* The same from another CA, named `ca` (made on first use), which the server
 * does not trust. */
const char *harness_issue_creds_ca(harness *h, const char *ca, const char *unit,
                                   const char *role);

/* Blocking libpq connection to the server's database (made on first use). */
PGconn *harness_pg(harness *h);
/* First column of the first row of `sql` (with at most one text parameter,
 * NULL for none) as a number; -1 on error (printed). */
long harness_pg_count(harness *h, const char *sql, const char *param);
/* The same as a malloc'd string; NULL on error or SQL NULL. */
char *harness_pg_text(harness *h, const char *sql, const char *param);

/* The server's memory from /proc/PID/status: field "VmRSS" or "VmHWM" (the
 * peak), in kB; -1 when it cannot be read. */
long harness_server_mem_kb(const harness *h, const char *field);
/* Resets the server's peak (VmHWM) to its current RSS; 0 or -1. */
int harness_server_reset_peak(const harness *h);
/* 1 when the server log holds `needle`, 0 when not, -1 when unreadable. */
int harness_log_contains(const harness *h, const char *needle);

/* --- the steps of a start, for other ways to start (harness_resil.c,
 * harness_spool.c); all in harness.c --------------------------------------- */

void harness_sleep_ms(long ms);
/* Clears h, ignores SIGPIPE, checks $HZ_SERVER, makes the temp dir (0755:
 * the embedded cluster runs as another user when we are root), the main CA
 * and the server's certificates. Returns 0, or -1 after printing why. */
int harness_prepare(harness *h);
/* Forks $HZ_SERVER with args (NULL-terminated, may be NULL; at most
 * HARNESS_SPAWN_ARGS), stdout and stderr appended to h's log; the server gets
 * SIGTERM when the test process dies. Sets h->pid. Returns 0 or -1. */
int harness_spawn(harness *h, const char *const args[]);
/* harness_spawn with the options of harness_start (127.0.0.1, port 0, h's
 * data_dir and TLS files, debug log), then `extra` (may be NULL). */
int harness_spawn_server(harness *h, const char *const extra[]);
/* "ready on 127.0.0.1:PORT" lines in h's log so far. */
int harness_ready_lines(const harness *h);
/* Waits (90 s at most) for ready line number `nth` (1: the first) and sets
 * h->port. Returns -1 when huizongd exits first (h->pid = 0, its cluster
 * stopped) or is not ready in time, after printing which. */
int harness_wait_ready(harness *h, int nth);
/* The pid in the embedded cluster's postmaster.pid when it names a running
 * postgres, else 0. */
pid_t harness_postmaster(const harness *h);
/* SIGQUIT to a postgres process, SIGKILL when it is still there after
 * grace_ms. Does nothing when pid no longer names a postgres. */
void harness_kill_postgres(pid_t pid, long grace_ms);

/* --- the wire (harness_wire.c) ------------------------------------------- */

/* TCP connection to the server with read/write timeouts; -1 on failure. */
int harness_connect_tcp(const harness *h);
/* TLS connection; creds_dir NULL means no client certificate. The server is
 * verified against the main CA. NULL when TCP or the handshake fails. With
 * TLS 1.3 a refused client certificate shows only at the first read. */
SSL *harness_connect(harness *h, const char *creds_dir);
/* harness_connect offering a TLS session kept from an earlier connection
 * (SSL_get1_session after its Hello: TLS 1.3 tickets come after the
 * handshake); SSL_session_reused says whether the server took it. */
SSL *harness_connect_session(harness *h, const char *creds_dir, SSL_SESSION *session);
/* Connects and says Hello; NULL unless the Hello is answered OK. */
SSL *harness_connect_hello(harness *h, const char *creds_dir);
/* Connects with credentials of the administrator of d1 and says Hello; NULL
 * when that fails (for group setups, which cannot assert). */
SSL *harness_connect_admin(harness *h);
/* Frees the SSL and closes its socket. NULL is fine. */
void harness_close(SSL *ssl);
/* Closes every connection still open (harness_stop calls it). */
void harness_close_all(void);

/* 0 when every byte was written, -1 otherwise. */
int harness_send_raw(SSL *ssl, const void *buf, size_t len);
int harness_send_request(SSL *ssl, const Huizong__Request *req);
/* One frame's payload (malloc'd, *len set); NULL on close, timeout or error. */
uint8_t *harness_recv_frame(SSL *ssl, size_t *len);
/* One Response (free with huizong__response__free_unpacked(r, NULL)); NULL on
 * close, timeout, error, or a payload that is not a Response. */
Huizong__Response *harness_recv_response(SSL *ssl);
/* Waits for the peer to end the connection: 1 when it closed (EOF, reset or
 * a TLS alert), 0 when data arrived instead, -1 on the read timeout. */
int harness_wait_close(SSL *ssl);
/* Send + receive. */
Huizong__Response *harness_call(SSL *ssl, const Huizong__Request *req);
/* Sends Hello{version} with request_id `id` and returns the reply. */
Huizong__Response *harness_hello(SSL *ssl, uint64_t id, uint32_t version);
void harness_response_free(Huizong__Response *r);

/* Adds an org unit over an admin connection; returns the response status,
 * or -1 when no response came. */
int harness_unit_add(SSL *admin, const char *code, const char *name,
                     const char *parent, const char *level);
/* Builds the standard tree with admin credentials: district d1 -> street s1
 * -> communities c1, c2; street s2 -> community c3. Returns 0 or -1. */
int harness_setup_tree(harness *h);

#endif
