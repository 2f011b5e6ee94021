/* The server's counters and the latency histogram (stats.h). */
#include "conn/stats.h"

#include <stddef.h>
#include <string.h>
#include <time.h>

#include "huizong.pb-c.h"

uint64_t stats_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static unsigned stats_bucket_of(uint64_t us)
{
    unsigned k = 0;

    while (us && k < STATS_HIST_BUCKETS - 1) {
        us >>= 1;
        k++;
    }
    return k;
}

void stats_hist_add(stats_hist *h, uint64_t us)
{
    h->bucket[stats_bucket_of(us)]++;
    h->count++;
    h->sum_us += us;
    if (us > h->max_us)
        h->max_us = us;
}

uint64_t stats_hist_percentile(const stats_hist *h, unsigned pct)
{
    uint64_t rank, seen = 0;

    if (h->count == 0)
        return 0;
    if (pct > 100)
        pct = 100;
    /* The rank-th smallest sample, rank = ceil(count * pct / 100), at least 1. */
    rank = (h->count * pct + 99) / 100;
    if (rank == 0)
        rank = 1;
    for (unsigned k = 0; k < STATS_HIST_BUCKETS; k++) {
        seen += h->bucket[k];
        if (seen >= rank) {
            uint64_t bound = k == 0 ? 0 : ((uint64_t)1 << k) - 1;
            /* The last bucket is open-ended: its bound is the max. */
            return bound < h->max_us && k < STATS_HIST_BUCKETS - 1 ? bound : h->max_us;
        }
    }
    return h->max_us;
}

stats_class stats_status_class(int status)
{
    switch (status) {
    case HUIZONG__STATUS__OK:
        return STATS_OK;
    case HUIZONG__STATUS__UNKNOWN:
    case HUIZONG__STATUS__DEADLINE_EXCEEDED:
    case HUIZONG__STATUS__RESOURCE_EXHAUSTED:
    case HUIZONG__STATUS__INTERNAL:
    case HUIZONG__STATUS__UNAVAILABLE:
    case HUIZONG__STATUS__DATA_LOSS:
        return STATS_FAILED;
    default:
        return STATS_REFUSED;
    }
}

void stats_submit_group(server_stats *s, uint64_t batches)
{
    stats_hist_add(&s->submit_group_size, batches);
    s->submit_group_batches += batches;
}

/* Names as admit.h orders its reasons. */
static const char *const stats_admission_labels[STATS_ADMISSION_REASONS] = {
    "dropped", "per_address", "handshake_budget", "max_connections", "max_authenticated"};

#define STATS_COUNTER(field, name, help) \
    { name, help, offsetof(server_stats, field), NULL, NULL, 1 }

const stats_counter_def stats_counters[] = {
    STATS_COUNTER(connections_accepted, "connections_accepted", "TCP connections accepted"),
    STATS_COUNTER(connections_refused, "connections_refused",
                  "connections closed at accept (a limit, or draining)"),
    {"admission", "connections dropped or refused by admission, by reason",
     offsetof(server_stats, admission), "reason", stats_admission_labels, STATS_ADMISSION_REASONS},
    STATS_COUNTER(handshakes_failed, "handshakes_failed", "TLS handshakes that failed"),
    STATS_COUNTER(requests, "requests", "frames that held a Request"),
    STATS_COUNTER(requests_malformed, "requests_malformed", "frames that held no valid Request"),
    STATS_COUNTER(records_committed, "records_committed", "records accepted by hz_submit"),
    STATS_COUNTER(submit_group_size.count, "submit_groups",
                  "transactions of group commit (SubmitBatches written under one COMMIT)"),
    STATS_COUNTER(submit_group_batches, "submit_group_batches",
                  "SubmitBatches written by group commit"),
};
const size_t stats_counter_count = sizeof(stats_counters) / sizeof(stats_counters[0]);

void stats_init(server_stats *s)
{
    memset(s, 0, sizeof(*s));
    s->started_us = stats_now_us();
}

unsigned stats_slot(int body_case)
{
    const ProtobufCMessageDescriptor *d = &huizong__request__descriptor;
    const ProtobufCFieldDescriptor *f;
    size_t i;

    if (body_case <= 1) /* not set, or request_id's own number */
        return 0;
    f = protobuf_c_message_descriptor_get_field(d, (unsigned)body_case);
    if (!f)
        return 0;
    i = (size_t)(f - d->fields);
    return i < STATS_MAX_TYPES ? (unsigned)i : 0;
}

stats_mark stats_request_begin(server_stats *s, uint64_t request_id, int body_case)
{
    stats_mark m = {request_id, stats_now_us(), 0, 1};

    m.slot = (uint16_t)stats_slot(body_case);
    s->requests++;
    s->types[m.slot].count++;
    return m;
}

void stats_request_end(server_stats *s, stats_mark *m, int status)
{
    stats_type *t;
    uint64_t now = stats_now_us();

    if (!m->open)
        return;
    m->open = 0;
    t = &s->types[m->slot < STATS_MAX_TYPES ? m->slot : 0];
    t->answered[stats_status_class(status)]++;
    stats_hist_add(&t->latency, now >= m->start_us ? now - m->start_us : 0);
}
