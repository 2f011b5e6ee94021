/* The Prometheus text exposition of the server's counters (metrics.h). */
#include "conn/metrics.h"

#include <inttypes.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "conn/server.h"
#include "huizong.pb-c.h"
#include "log.h"

#define METRICS_PREFIX "huizong_"

static const char *const metrics_class_labels[stats_class_max] = {"ok", "refused", "failed"};

static void metrics_head(struct evbuffer *out, const char *name, const char *type,
                         const char *help)
{
    evbuffer_add_printf(out, "# HELP " METRICS_PREFIX "%s %s\n# TYPE " METRICS_PREFIX "%s %s\n",
                        name, help, name, type);
}

static void metrics_gauge(struct evbuffer *out, const char *name, const char *help, uint64_t v)
{
    metrics_head(out, name, "gauge", help);
    evbuffer_add_printf(out, METRICS_PREFIX "%s %" PRIu64 "\n", name, v);
}

/* Every row of stats_counters, as NAME_total. */
static void metrics_counters(const server_stats *st, struct evbuffer *out)
{
    for (size_t i = 0; i < stats_counter_count; i++) {
        const stats_counter_def *d = &stats_counters[i];
        const uint64_t *v = (const uint64_t *)((const char *)st + d->offset);
        char name[128];

        snprintf(name, sizeof name, "%s_total", d->name);
        metrics_head(out, name, "counter", d->help);
        if (!d->label) {
            evbuffer_add_printf(out, METRICS_PREFIX "%s %" PRIu64 "\n", name, v[0]);
            continue;
        }
        for (size_t k = 0; k < d->n; k++)
            evbuffer_add_printf(out, METRICS_PREFIX "%s{%s=\"%s\"} %" PRIu64 "\n", name, d->label,
                                d->labels[k], v[k]);
    }
}

static const char *metrics_type_name(unsigned slot)
{
    return slot == 0 ? "other" : huizong__request__descriptor.fields[slot].name;
}

/* The slots that counted something, in the order of the Request message. */
static size_t metrics_used_slots(const server_stats *st, unsigned *slots)
{
    size_t n = 0;

    for (unsigned slot = 0; slot < STATS_MAX_TYPES; slot++)
        if (slot < huizong__request__descriptor.n_fields && st->types[slot].count)
            slots[n++] = slot;
    return n;
}

static void metrics_replies(const server_stats *st, const unsigned *slots, size_t n,
                            struct evbuffer *out)
{
    metrics_head(out, "replies_total", "counter", "replies by request type and status class "
                 "(ok; refused: the request must change; failed: the server could not do it now)");
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < stats_class_max; c++)
            evbuffer_add_printf(out, METRICS_PREFIX "replies_total{type=\"%s\",status=\"%s\"} %"
                                PRIu64 "\n", metrics_type_name(slots[i]), metrics_class_labels[c],
                                st->types[slots[i]].answered[c]);
}

/* Bucket k of stats_hist holds whole microseconds up to 2^k - 1 (bucket 0:
 * 0 us), so each bound is exact; the last bucket is only +Inf. */
static void metrics_histogram(const char *type, const stats_hist *h, struct evbuffer *out)
{
    uint64_t seen = 0;

    for (unsigned k = 0; k + 1 < STATS_HIST_BUCKETS; k++) {
        uint64_t bound_us = k == 0 ? 0 : ((uint64_t)1 << k) - 1;
        seen += h->bucket[k];
        evbuffer_add_printf(out, METRICS_PREFIX "request_duration_seconds_bucket{type=\"%s\","
                            "le=\"%" PRIu64 ".%06" PRIu64 "\"} %" PRIu64 "\n", type,
                            bound_us / 1000000u, bound_us % 1000000u, seen);
    }
    evbuffer_add_printf(out, METRICS_PREFIX "request_duration_seconds_bucket{type=\"%s\","
                        "le=\"+Inf\"} %" PRIu64 "\n", type, h->count);
    evbuffer_add_printf(out, METRICS_PREFIX "request_duration_seconds_sum{type=\"%s\"} %" PRIu64
                        ".%06" PRIu64 "\n", type, h->sum_us / 1000000u, h->sum_us % 1000000u);
    evbuffer_add_printf(out, METRICS_PREFIX "request_duration_seconds_count{type=\"%s\"} %" PRIu64
                        "\n", type, h->count);
}

static void metrics_latencies(const server_stats *st, const unsigned *slots, size_t n,
                              struct evbuffer *out)
{
    metrics_head(out, "request_duration_seconds", "histogram",
                 "time from a request's frame read to its reply queued, by request type");
    for (size_t i = 0; i < n; i++)
        metrics_histogram(metrics_type_name(slots[i]), &st->types[slots[i]].latency, out);
}

static void metrics_gauges(const server *s, struct evbuffer *out)
{
    metrics_head(out, "build_info", "gauge", "the server's version");
    evbuffer_add_printf(out, METRICS_PREFIX "build_info{version=\"%s\"} 1\n", HZ_VERSION);
    metrics_gauge(out, "uptime_seconds", "seconds since the server started",
                  (stats_now_us() - s->stats.started_us) / 1000000u);
    metrics_gauge(out, "connections_open", "connections open now", s->nconns);
    metrics_head(out, "connections", "gauge", "connections now, by admission state "
                 "(handshaking: no Hello yet; authenticated: past Hello)");
    evbuffer_add_printf(out, METRICS_PREFIX "connections{state=\"handshaking\"} %zu\n"
                        METRICS_PREFIX "connections{state=\"authenticated\"} %zu\n",
                        (size_t)s->admission.handshaking, (size_t)s->admission.authenticated);
    metrics_gauge(out, "db_pool_size", "PostgreSQL connections configured", s->opt.db_pool_size);
    metrics_gauge(out, "db_pool_connected", "PostgreSQL connections up", db_connected_count(s->db));
    metrics_gauge(out, "db_queue_length", "calls waiting for a PostgreSQL connection",
                  db_queue_length(s->db));
    /* With a dsn of its own the server knows nothing of PostgreSQL's process. */
    if (!s->opt.dsn[0])
        metrics_gauge(out, "embedded_postgresql_up", "1 while the embedded PostgreSQL runs",
                      !db_is_down(s->db));
}

int metrics_render(const server *s, struct evbuffer *out)
{
    unsigned slots[STATS_MAX_TYPES];
    size_t n = metrics_used_slots(&s->stats, slots);

    metrics_gauges(s, out);
    metrics_counters(&s->stats, out);
    metrics_replies(&s->stats, slots, n, out);
    metrics_latencies(&s->stats, slots, n, out);
    return 0;
}

static void metrics_on_request(struct evhttp_request *req, void *arg)
{
    const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
    struct evbuffer *out;

    if (evhttp_request_get_command(req) != EVHTTP_REQ_GET || !path ||
        strcmp(path, "/metrics") != 0) {
        evhttp_send_error(req, HTTP_NOTFOUND, "only GET /metrics is served here");
        return;
    }
    if (!(out = evbuffer_new())) {
        evhttp_send_error(req, HTTP_INTERNAL, "out of memory");
        return;
    }
    metrics_render(arg, out);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
                      "text/plain; version=0.0.4; charset=utf-8");
    evhttp_send_reply(req, HTTP_OK, "OK", out);
    evbuffer_free(out);
}

int metrics_start(server *s, int *bound_port, char *err, size_t errlen)
{
    struct evconnlistener *l;

    *bound_port = 0;
    if (!s->opt.metrics_listen[0])
        return 0;
    if (!(s->metrics = evhttp_new(s->base))) {
        snprintf(err, errlen, "metrics_listen: cannot set up the HTTP server");
        return -1;
    }
    if (!(l = server_bind(s, "metrics_listen", s->opt.metrics_listen, NULL, bound_port, err,
                          errlen)))
        return -1;
    if (!evhttp_bind_listener(s->metrics, l)) {
        evconnlistener_free(l);
        snprintf(err, errlen, "metrics_listen: cannot serve HTTP on %s", s->opt.metrics_listen);
        return -1;
    }
    evhttp_set_allowed_methods(s->metrics, EVHTTP_REQ_GET);
    evhttp_set_timeout(s->metrics, 10);
    evhttp_set_gencb(s->metrics, metrics_on_request, s);
    return 0;
}

void metrics_stop(server *s)
{
    if (s->metrics)
        evhttp_free(s->metrics);
    s->metrics = NULL;
}
