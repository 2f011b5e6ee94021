/* The server's counters, shown by `huizong admin stats` (docs/ops.md): the
 * one place they live. Everything is fixed-size and updated from the event
 * loop only, so counting a request allocates nothing and takes no lock.
 *
 * Latency of a request is measured from the moment its frame was taken off
 * the input to the moment its (first) reply was queued, in microseconds,
 * into a histogram with one bucket per power of two. */
#ifndef HZ_STATS_H
#define HZ_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Bucket 0 holds 0 us; bucket k >= 1 holds [2^(k-1), 2^k) us. The last one
 * also takes everything longer (2^38 us is over three days). */
#define STATS_HIST_BUCKETS 40

typedef struct {
    uint64_t count;
    uint64_t max_us;
    uint64_t sum_us;
    uint64_t bucket[STATS_HIST_BUCKETS];
} stats_hist;

void stats_hist_add(stats_hist *h, uint64_t us);
/* The smallest bucket bound below which at least pct percent (1..100) of the
 * samples lie, never more than the largest sample; 0 when there is none.
 * So p50 <= p99 <= max always holds. */
uint64_t stats_hist_percentile(const stats_hist *h, unsigned pct);

/* How a reply ended, by status: OK; refused (the request or its sender must
 * change: INVALID_ARGUMENT, PERMISSION_DENIED, NOT_FOUND, ...); failed (the
 * server could not do it now: UNAVAILABLE, INTERNAL, RESOURCE_EXHAUSTED,
 * DEADLINE_EXCEEDED, UNKNOWN, DATA_LOSS). */
typedef enum { STATS_OK = 0, STATS_REFUSED, STATS_FAILED, stats_class_max } stats_class;

stats_class stats_status_class(int status);

/* One slot per field of the Request message (index in its descriptor); slot
 * 0 is request_id's and never a body, so it counts requests with no body or
 * one this server does not know ("other"). */
#define STATS_MAX_TYPES 96

typedef struct {
    uint64_t count;                   /* dispatched */
    uint64_t answered[stats_class_max];
    stats_hist latency;
} stats_type;

/* Admission's drops and refusals, one counter per admit_reason (admit.h). */
#define STATS_ADMISSION_REASONS 5

typedef struct {
    uint64_t started_us;              /* monotonic clock at start-up */
    uint64_t connections_accepted;
    uint64_t connections_refused;     /* closed at accept: a limit (admit.h), or draining */
    uint64_t admission[STATS_ADMISSION_REASONS];
    uint64_t handshakes_failed;
    uint64_t requests;                /* frames that held a Request */
    uint64_t requests_malformed;      /* frames that did not */
    uint64_t records_committed;       /* accepted by hz_submit */
    /* Group commit: one sample per transaction of SubmitBatches, its number
     * of batches (a histogram of sizes, not of microseconds). */
    stats_hist submit_group_size;
    uint64_t submit_group_batches;    /* batches sent in those transactions */
    stats_type types[STATS_MAX_TYPES];
} server_stats;

/* The counters of server_stats that only ever grow, one row each, for
 * exporters that list them all (the metrics endpoint, metrics.h): a new
 * counter is a field above and a row in stats_counters (stats.c). `name` is
 * the Prometheus name without "huizong_" and "_total"; a row with `labels`
 * is an array of `n` counters, one per label value. */
typedef struct {
    const char *name;
    const char *help;
    size_t offset;                    /* of a uint64_t (or its array) in server_stats */
    const char *label;                /* NULL: one counter */
    const char *const *labels;
    size_t n;
} stats_counter_def;

extern const stats_counter_def stats_counters[];
extern const size_t stats_counter_count;

/* A request being timed: where it started and which slot it counts in. */
typedef struct {
    uint64_t request_id;
    uint64_t start_us;
    uint16_t slot;
    uint8_t open;                     /* not answered yet */
} stats_mark;

/* Counts one group of `batches` SubmitBatches sent as one transaction. */
void stats_submit_group(server_stats *s, uint64_t batches);

/* Microseconds of the monotonic clock. */
uint64_t stats_now_us(void);

void stats_init(server_stats *s);
/* The slot of a Request body case (0 for none or an unknown one). */
unsigned stats_slot(int body_case);
/* Counts a dispatched request and returns its open mark. */
stats_mark stats_request_begin(server_stats *s, uint64_t request_id, int body_case);
/* Counts the reply of an open mark by status class and latency; closes it. */
void stats_request_end(server_stats *s, stats_mark *m, int status);

#endif
