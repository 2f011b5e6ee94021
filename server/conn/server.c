/* Listener, signals and an orderly drain. */
#include "conn/server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <systemd/sd-daemon.h>

#include "cert_csr.h"
#include "conn/conn.h"
#include "log.h"
#include "conn/tls.h"

static void server_on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
                             int socklen, void *arg)
{
    (void)l;
    conn_accept(arg, fd, sa, socklen, 0);
}

static void server_on_accept_enroll(struct evconnlistener *l, evutil_socket_t fd,
                                    struct sockaddr *sa, int socklen, void *arg)
{
    (void)l;
    conn_accept(arg, fd, sa, socklen, 1);
}

static void server_on_accept_error(struct evconnlistener *l, void *arg)
{
    (void)l;
    (void)arg;
    /* EMFILE and friends: keep serving the connections we have. */
    log_warn("accept failed: %s", evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
}

int server_bound_port(evutil_socket_t fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return -1;
    if (ss.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* "host:port" or "[v6]:port"; port 0 asks the kernel for a free one. */
static struct addrinfo *server_resolve(const char *listen)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    struct addrinfo hints, *ai = NULL;
    size_t n;

    if (!colon || colon == listen || !colon[1])
        return NULL;
    n = (size_t)(colon - listen);
    if (listen[0] == '[' && n >= 2 && listen[n - 1] == ']')
        listen++, n -= 2;
    if (n >= sizeof(host))
        return NULL;
    memcpy(host, listen, n);
    host[n] = '\0';
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
        return NULL;
    return ai;
}

struct evconnlistener *server_bind(server *s, const char *key, const char *addr,
                                   evconnlistener_cb cb, int *bound_port, char *err, size_t errlen)
{
    struct addrinfo *ai = server_resolve(addr);
    struct evconnlistener *l;

    if (!ai) {
        snprintf(err, errlen, "%s: want address:port such as 127.0.0.1:7443, got \"%s\"", key, addr);
        return NULL;
    }
    l = evconnlistener_new_bind(s->base, cb, s,
                                LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
                                512, ai->ai_addr, (int)ai->ai_addrlen);
    freeaddrinfo(ai);
    if (!l) {
        snprintf(err, errlen, "cannot listen on %s: %s", addr,
                 evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
        return NULL;
    }
    evconnlistener_set_error_cb(l, server_on_accept_error);
    *bound_port = server_bound_port(evconnlistener_get_fd(l));
    return l;
}

int server_listen(server *s, int *bound_port, char *err, size_t errlen)
{
    s->listener = server_bind(s, "listen", s->opt.listen, server_on_accept, bound_port, err, errlen);
    return s->listener ? 0 : -1;
}

int server_listen_enroll(server *s, int *bound_port, char *err, size_t errlen)
{
    *bound_port = 0;
    if (!s->opt.enroll_listen[0])
        return 0;
    s->enroll_listener = server_bind(s, "enroll_listen", s->opt.enroll_listen,
                                     server_on_accept_enroll, bound_port, err, errlen);
    return s->enroll_listener ? 0 : -1;
}

int server_load_enroll(server *s, char *err, size_t errlen)
{
    SSL_CTX *ctx;
    X509 *crt;
    EVP_PKEY *key;

    if (!s->opt.enroll_listen[0])
        return 0;
    if (!s->opt.ca_dir[0]) {
        snprintf(err, errlen, "enroll_listen is set but ca_dir is not (the CA that signs enrolled certificates)");
        return -1;
    }
    if (cert_csr_load_ca(s->opt.ca_dir, &crt, &key, err, errlen) != 0)
        return -1;
    if (!(ctx = tls_enroll_ctx(s->opt.tls_cert, s->opt.tls_key, s->opt.tls_ca, err, errlen))) {
        X509_free(crt);
        EVP_PKEY_free(key);
        return -1;
    }
    SSL_CTX_free(s->enroll_ctx);
    X509_free(s->ca_crt);
    EVP_PKEY_free(s->ca_key);
    s->enroll_ctx = ctx;
    s->ca_crt = crt;
    s->ca_key = key;
    return 0;
}

static void server_on_drain_timeout(evutil_socket_t fd, short what, void *arg)
{
    server *s = arg;

    (void)fd;
    (void)what;
    log_warn("shutdown_timeout reached with %zu connection(s) open; exiting", s->nconns);
    event_base_loopexit(s->base, NULL);
}

void server_conn_gone(server *s)
{
    if (s->draining && s->nconns == 0)
        event_base_loopexit(s->base, NULL);
}

void server_drain(server *s)
{
    struct timeval tv = {(time_t)(s->opt.shutdown_timeout_ms / 1000),
                         (suseconds_t)(s->opt.shutdown_timeout_ms % 1000) * 1000};

    if (s->draining)
        return;
    s->draining = 1;
    sd_notify(0, "STOPPING=1");
    log_info("draining: %zu connection(s) open", s->nconns);
    if (s->listener)
        evconnlistener_disable(s->listener);
    if (s->enroll_listener)
        evconnlistener_disable(s->enroll_listener);
    for (conn *c = s->conns, *next; c; c = next) {
        next = c->next;
        if (c->inflight == 0)
            conn_close_after_flush(c, "server shutting down");
    }
    s->drain_timer = evtimer_new(s->base, server_on_drain_timeout, s);
    if (s->drain_timer)
        evtimer_add(s->drain_timer, &tv);
    server_conn_gone(s);
}

static void server_reload_tls(server *s)
{
    char err[512];
    SSL_CTX *ctx = tls_server_ctx(s->opt.tls_cert, s->opt.tls_key, s->opt.tls_ca,
                                  s->opt.ticket_key_rotation_ms, err, sizeof(err));

    if (!ctx) {
        log_error("SIGHUP: keeping the old TLS settings: %s", err);
        return;
    }
    /* Connections already open keep their own SSL; new ones get the new context. */
    SSL_CTX_free(s->ssl_ctx);
    s->ssl_ctx = ctx;
    if (server_load_enroll(s, err, sizeof(err)) != 0)
        log_error("SIGHUP: keeping the old enrollment CA and TLS settings: %s", err);
    log_info("SIGHUP: TLS certificates reloaded");
}

/* Rebuilds the settings as at start-up and takes the reloadable ones. A file
 * that no longer parses changes nothing. Blocking file read: SIGHUP only. */
static void server_reload_options(server *s)
{
    server_options fresh;
    char err[600];

    if (options_build(&fresh, s->config_path, s->argc, s->argv, err, sizeof(err)) != 0 ||
        options_reload(&s->opt, &fresh, s->config_path, err, sizeof(err)) != 0) {
        log_error("SIGHUP: keeping the current settings: %s", err);
        return;
    }
    log_set_level((log_level)log_level_from_name(s->opt.log_level));
    if (s->config_path)
        log_info("SIGHUP: settings reloaded from %s", s->config_path);
}

static void server_on_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)what;
    if (sig == SIGHUP) {
        sd_notify(0, "RELOADING=1");
        server_reload_options(arg);
        server_reload_tls(arg);
        sd_notify(0, "READY=1");
        return;
    }
    log_info("received %s", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    server_drain(arg);
}

int server_signals(server *s)
{
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};

    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        s->signals[i] = evsignal_new(s->base, sigs[i], server_on_signal, s);
        if (!s->signals[i] || evsignal_add(s->signals[i], NULL) != 0)
            return -1;
    }
    return 0;
}
