/* Admission: who may hold a connection, so that an anonymous flood cannot
 * starve the clients that hold a certificate (docs/security.md).
 *
 * Two pools. The handshake pool holds every connection that has not sent
 * Hello yet (TLS handshake included) and every connection of the
 * enrollment port, which never authenticates: at most max_handshakes, at
 * most max_handshakes_per_address from one address (IPv6: one /64). The
 * authenticated pool holds the connections past Hello: at most
 * max_authenticated. max_connections bounds both together.
 *
 * At accept, a newcomer is refused (closed at once, no TLS) when its
 * address is at its limit; when the handshake pool (or max_connections) is
 * full, a newcomer from an address with nothing in the handshake pool
 * takes the place of the OLDEST connection there, and one from an address
 * that already has one is refused. At Hello, a connection over
 * max_authenticated is answered UNAVAILABLE "server busy (connection
 * limit); retry later" and closed. Drops and refusals are counted
 * (stats.h) and summarised in one log line per reason and interval
 * (admission_log_interval), never one per connection. */
#ifndef HZ_ADMIT_H
#define HZ_ADMIT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct event;
typedef struct server server;
typedef struct conn conn;

/* The part of a peer's address a limit counts by. */
typedef struct {
    uint8_t len;                      /* 4 (IPv4), 8 (an IPv6 /64), 0 (other) */
    uint8_t bytes[8];
} admit_addr;

typedef enum {
    ADMIT_DROPPED = 0,                /* oldest in the handshake pool, for a newcomer */
    ADMIT_REFUSED_ADDRESS,            /* max_handshakes_per_address */
    ADMIT_REFUSED_HANDSHAKES,         /* pool full, the address already in it */
    ADMIT_REFUSED_CONNECTIONS,        /* max_connections, nothing to drop */
    ADMIT_REFUSED_AUTHENTICATED,      /* at Hello: max_authenticated */
    admit_reason_max
} admit_reason;

typedef struct {
    conn *newest, *oldest;            /* the handshake pool, by age */
    size_t handshaking, authenticated;
    uint64_t window[admit_reason_max];/* since the last summary line */
    struct event *log_timer;
} admit;

/* Which pool a connection is in (conn.admitted). */
typedef enum { ADMIT_NONE = 0, ADMIT_HANDSHAKE, ADMIT_AUTHENTICATED } admit_pool;

void admit_addr_of(admit_addr *a, const struct sockaddr *sa);
/* At accept: 0 when a connection from a may be taken on (the oldest of the
 * handshake pool may have been closed for it), -1 when it must be closed
 * now. Counts and summarises what it did. */
int admit_accept(server *s, const admit_addr *a);
/* The new connection joins the handshake pool. */
void admit_enter(conn *c);
/* At Hello on the main port: moves c to the authenticated pool; -1 (c left
 * where it is, the refusal counted) when that pool is full. */
int admit_hello(conn *c);
/* At close: c leaves its pool. Safe to call twice. */
void admit_leave(conn *c);
/* The summary timer (start-up), and its end (exit). */
int admit_start(server *s);
void admit_stop(server *s);

#endif
