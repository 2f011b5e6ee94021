/* The server: one event_base, the listener, the live connections, signals,
 * and the counters `admin stats` shows (stats.h). */
#ifndef HZ_SERVER_H
#define HZ_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <event2/listener.h>
#include <event2/util.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "db/db.h"
#include "conn/admit.h"
#include "conn/framemem.h"
#include "conn/options.h"
#include "conn/stats.h"

struct event_base;
struct event;
struct evhttp;
typedef struct conn conn;

typedef struct server {
    struct event_base *base;
    server_options opt;
    SSL_CTX *ssl_ctx;                 /* replaced on SIGHUP; conns keep their SSL */
    db *db;
    db *read_db;                      /* read_dsn: the reads routed to a replica; NULL: db */
    struct evconnlistener *listener;
    /* Enrollment (enroll_listen): its own listener and TLS context without
     * client certificates, and the CA that signs enrolled certificates. */
    struct evconnlistener *enroll_listener;
    SSL_CTX *enroll_ctx;
    X509 *ca_crt;
    EVP_PKEY *ca_key;
    conn *conns;                      /* doubly linked, newest first */
    size_t nconns;
    uint64_t next_conn_id;
    int draining;
    /* What SIGHUP rebuilds the settings from: the --config file (NULL: none)
     * and the command line, which still wins over the file. */
    const char *config_path;
    int argc;
    char **argv;
    struct event *signals[4];
    struct event *drain_timer;
    struct evhttp *metrics;           /* metrics_listen (metrics.h); NULL when off */
    server_stats stats;
    admit admission;                  /* the handshake and authenticated pools (admit.h) */
    framemem fm;                      /* frames still arriving (framemem.h) */
} server;

/* A listener on `addr` ("host:port", "[v6]:port"; port 0: any free one),
 * calling cb (NULL: disabled until one is set, as evhttp_bind_listener
 * does); `key` names the setting in err. Fills bound_port. */
struct evconnlistener *server_bind(server *s, const char *key, const char *addr,
                                   evconnlistener_cb cb, int *bound_port, char *err, size_t errlen);
/* The port a socket is bound to, or -1. */
int server_bound_port(evutil_socket_t fd);
/* Listens on opt.listen; fills bound_port with the port actually bound. */
int server_listen(server *s, int *bound_port, char *err, size_t errlen);
/* With enroll_listen set: loads the enrollment TLS context and the signing CA
 * (ca_dir), replacing what was loaded. Blocking file reads: start-up and
 * SIGHUP only. Returns 0 (also when enrollment is off), or -1 with err set. */
int server_load_enroll(server *s, char *err, size_t errlen);
/* Listens on opt.enroll_listen when set; *bound_port is 0 when it is not. */
int server_listen_enroll(server *s, int *bound_port, char *err, size_t errlen);
/* Installs SIGTERM/SIGINT (drain and exit) and SIGHUP (reload the settings
 * and TLS). */
int server_signals(server *s);
/* Called by conn when a connection is gone; ends the loop when draining is done. */
void server_conn_gone(server *s);
/* Stops accepting and lets requests in progress finish (bounded by shutdown_timeout). */
void server_drain(server *s);

#endif
