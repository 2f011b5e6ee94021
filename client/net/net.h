/* Blocking TLS client of the huizong protocol: connect, TLS, Hello, then one
 * request at a time matched by request_id. The main port wants the client
 * certificate; the enrollment port authenticates the server only (the client
 * has no certificate yet: getting one is what the port is for). */
#ifndef HZ_NET_H
#define HZ_NET_H

#include <stddef.h>

#include "cli/cconf.h"
#include "huizong.pb-c.h"

/* Responses larger than this are refused whatever the server announces. */
#define NET_MAX_FRAME (16u << 20)

/* The port of an enrollment address that names none. */
#define NET_DEFAULT_ENROLL_PORT 7444u

typedef struct net_conn net_conn;

/* Tries each server of c->server in turn until one completes TCP, TLS
 * (server certificate verified against c->ca and the host name or IP) and
 * Hello. Offers the TLS session kept in c->spool and keeps the new one
 * (tls_session.h). Returns HZ_EXIT_OK with *out set, else an exit code
 * (HZ_EXIT_NET, HZ_EXIT_REFUSED when Hello was refused) with err filled. */
int net_open(const cconf *c, net_conn **out, char *err, size_t errlen);

/* net_open with `first` sent right behind Hello, without waiting for Hello's
 * answer (one round trip less); the server reads it only once Hello has
 * passed. Its response is then read with net_next(c, first->request_id).
 * For requests that only read: with a list of servers, one that fails after
 * the sending gives way to the next, which is sent `first` again. */
int net_open_first(const cconf *c, Huizong__Request *first, net_conn **out, char *err,
                   size_t errlen);

/* The same on the enrollment port: servers ("host[:port]", comma-separated),
 * no client certificate, the server's verified against ca_file and the host. */
int net_open_enroll(const char *servers, const char *ca_file, unsigned long timeout_ms,
                    net_conn **out, char *err, size_t errlen);

/* The server's Hello answer: version, principal, limits. */
const Huizong__HelloResult *net_hello(const net_conn *c);

/* Sends req (request_id is assigned here) and waits for the response with
 * that id. Does not look at the status. Returns HZ_EXIT_OK with *resp
 * (free with huizong__response__free_unpacked(*resp, NULL)), or an exit code
 * with err filled. */
int net_call(net_conn *c, Huizong__Request *req, Huizong__Response **resp, char *err,
             size_t errlen);

/* The next response to request_id of a streamed reply (after net_call
 * returned its first); same results as net_call. */
int net_next(net_conn *c, uint64_t request_id, Huizong__Response **resp, char *err,
             size_t errlen);

void net_close(net_conn *c);

#endif
