/* Admission: the handshake pool, the authenticated pool, per-address limits
 * and the summary log line (admit.h). */
#include "conn/admit.h"

#include <netinet/in.h>
#include <string.h>

#include <event2/event.h>

#include "conn/conn.h"
#include "conn/server.h"
#include "log.h"

_Static_assert(admit_reason_max == STATS_ADMISSION_REASONS, "one counter per admission reason");

void admit_addr_of(admit_addr *a, const struct sockaddr *sa)
{
    static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

    memset(a, 0, sizeof(*a));
    if (sa->sa_family == AF_INET) {
        memcpy(a->bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        a->len = 4;
    } else if (sa->sa_family == AF_INET6) {
        const uint8_t *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
        /* An IPv4 peer on a dual-stack socket counts as that IPv4 address;
         * an IPv6 peer by its /64, the least a site is given. */
        a->len = memcmp(b, v4mapped, sizeof(v4mapped)) == 0 ? 4 : 8;
        memcpy(a->bytes, a->len == 4 ? b + 12 : b, a->len);
    }
}

static int admit_same(const admit_addr *x, const admit_addr *y)
{
    return x->len == y->len && memcmp(x->bytes, y->bytes, x->len) == 0;
}

/* Connections of a in the handshake pool (bounded by max_handshakes). */
static size_t admit_count_from(const admit *ad, const admit_addr *a)
{
    size_t n = 0;

    for (const conn *c = ad->newest; c; c = c->hs_older)
        n += admit_same(&c->addr, a);
    return n;
}

static void admit_count(server *s, admit_reason why)
{
    s->stats.admission[why]++;
    s->admission.window[why]++;
    if (why != ADMIT_DROPPED && why != ADMIT_REFUSED_AUTHENTICATED)
        s->stats.connections_refused++;
}

int admit_accept(server *s, const admit_addr *a)
{
    admit *ad = &s->admission;
    size_t mine = admit_count_from(ad, a);

    if (mine >= s->opt.max_handshakes_per_address) {
        admit_count(s, ADMIT_REFUSED_ADDRESS);
        return -1;
    }
    if (ad->handshaking < s->opt.max_handshakes && s->nconns < s->opt.max_connections)
        return 0;
    if (!ad->oldest) {
        admit_count(s, ADMIT_REFUSED_CONNECTIONS);
        return -1;
    }
    /* Taking the place of the oldest only for an address not in the pool
     * yet: otherwise a few addresses reconnecting would push everyone out. */
    if (mine > 0) {
        admit_count(s, ADMIT_REFUSED_HANDSHAKES);
        return -1;
    }
    admit_count(s, ADMIT_DROPPED);
    conn_drop(ad->oldest, "dropped: handshake budget full (oldest connection without Hello)");
    return 0;
}

void admit_enter(conn *c)
{
    admit *ad = &c->srv->admission;

    c->hs_newer = NULL;
    c->hs_older = ad->newest;
    if (ad->newest)
        ad->newest->hs_newer = c;
    else
        ad->oldest = c;
    ad->newest = c;
    ad->handshaking++;
    c->admitted = ADMIT_HANDSHAKE;
}

static void admit_unlink(conn *c)
{
    admit *ad = &c->srv->admission;

    if (c->hs_newer)
        c->hs_newer->hs_older = c->hs_older;
    else
        ad->newest = c->hs_older;
    if (c->hs_older)
        c->hs_older->hs_newer = c->hs_newer;
    else
        ad->oldest = c->hs_newer;
    c->hs_newer = c->hs_older = NULL;
    ad->handshaking--;
}

int admit_hello(conn *c)
{
    server *s = c->srv;

    if (c->admitted != ADMIT_HANDSHAKE)
        return 0;
    if (s->admission.authenticated >= s->opt.max_authenticated) {
        admit_count(s, ADMIT_REFUSED_AUTHENTICATED);
        return -1;
    }
    admit_unlink(c);
    s->admission.authenticated++;
    c->admitted = ADMIT_AUTHENTICATED;
    return 0;
}

void admit_leave(conn *c)
{
    if (c->admitted == ADMIT_HANDSHAKE)
        admit_unlink(c);
    else if (c->admitted == ADMIT_AUTHENTICATED)
        c->srv->admission.authenticated--;
    c->admitted = ADMIT_NONE;
}

/* One summary line per reason: "admission: refused 12 connection(s) over
 * the per-address limit (max_handshakes_per_address 10) in the last 10s". */
static const struct {
    const char *verb, *what, *key, *tail;
} admit_lines[admit_reason_max] = {
    {"dropped", "oldest connection(s) without Hello to make room", "max_handshakes", " reached"},
    {"refused", "connection(s) over the per-address limit", "max_handshakes_per_address", ""},
    {"refused", "connection(s) over the handshake budget", "max_handshakes",
     " full; their address already had one in the handshake"},
    {"refused", "connection(s) at the connection limit", "max_connections", ""},
    {"refused", "Hello(s) over the authenticated ceiling", "max_authenticated",
     "; answered UNAVAILABLE server busy"},
};

static unsigned long admit_limit(const server_options *o, admit_reason why)
{
    switch (why) {
    case ADMIT_REFUSED_ADDRESS:
        return o->max_handshakes_per_address;
    case ADMIT_REFUSED_CONNECTIONS:
        return o->max_connections;
    case ADMIT_REFUSED_AUTHENTICATED:
        return o->max_authenticated;
    default:
        return o->max_handshakes;
    }
}

/* One line per reason that happened in the interval, then a fresh window. */
static void admit_on_log_timer(evutil_socket_t fd, short what, void *arg)
{
    server *s = arg;
    unsigned long ms = s->opt.admission_log_interval_ms;
    char every[32];

    (void)fd;
    (void)what;
    if (ms % 1000 == 0)
        snprintf(every, sizeof(every), "%lus", ms / 1000);
    else
        snprintf(every, sizeof(every), "%lums", ms);
    for (int i = 0; i < admit_reason_max; i++) {
        if (!s->admission.window[i])
            continue;
        log_warn("admission: %s %llu %s (%s %lu%s) in the last %s", admit_lines[i].verb,
                 (unsigned long long)s->admission.window[i], admit_lines[i].what,
                 admit_lines[i].key, admit_limit(&s->opt, (admit_reason)i), admit_lines[i].tail,
                 every);
        s->admission.window[i] = 0;
    }
}

int admit_start(server *s)
{
    unsigned long ms = s->opt.admission_log_interval_ms;
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};

    s->admission.log_timer = event_new(s->base, -1, EV_PERSIST, admit_on_log_timer, s);
    return s->admission.log_timer && event_add(s->admission.log_timer, &tv) == 0 ? 0 : -1;
}

void admit_stop(server *s)
{
    if (s->admission.log_timer)
        event_free(s->admission.log_timer);
    s->admission.log_timer = NULL;
}
