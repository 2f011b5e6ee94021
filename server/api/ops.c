/* Operations requests: the server's counters (StatsRequest), answered from
 * memory without a database call, to admin certificates only. A district or
 * community sees nothing of the server's internals. */
#include "api/ops.h"

#include "log.h"

/* Fills one row from a slot's counters. */
static void ops_type_row(const stats_type *t, unsigned slot, Huizong__StatsRequestType *row,
                         Huizong__StatsLatency *lat)
{
    const ProtobufCMessageDescriptor *d = &huizong__request__descriptor;

    huizong__stats_request_type__init(row);
    huizong__stats_latency__init(lat);
    row->type = (char *)(slot == 0 ? "other" : d->fields[slot].name);
    row->count = t->count;
    row->ok = t->answered[STATS_OK];
    row->refused = t->answered[STATS_REFUSED];
    row->failed = t->answered[STATS_FAILED];
    lat->count = t->latency.count;
    lat->p50_us = stats_hist_percentile(&t->latency, 50);
    lat->p99_us = stats_hist_percentile(&t->latency, 99);
    lat->max_us = t->latency.max_us;
    row->latency = lat;
}

static void ops_reply_stats(conn *c, uint64_t request_id)
{
    const server *s = c->srv;
    const server_stats *st = &s->stats;
    Huizong__Response r = HUIZONG__RESPONSE__INIT;
    Huizong__StatsResult res = HUIZONG__STATS_RESULT__INIT;
    Huizong__StatsRequestType rows[STATS_MAX_TYPES], *ptrs[STATS_MAX_TYPES];
    Huizong__StatsLatency lats[STATS_MAX_TYPES];
    size_t n = 0;

    res.server_version = (char *)"huizongd/" HZ_VERSION;
    res.uptime_seconds = (stats_now_us() - st->started_us) / 1000000u;
    res.connections_current = s->nconns;
    res.connections_accepted = st->connections_accepted;
    res.connections_refused = st->connections_refused;
    res.handshakes_failed = st->handshakes_failed;
    res.requests = st->requests;
    res.requests_malformed = st->requests_malformed;
    res.records_committed = st->records_committed;
    res.db_pool_size = (uint32_t)s->opt.db_pool_size;
    res.db_connected = (uint32_t)db_connected_count(s->db);
    res.db_queue_length = db_queue_length(s->db);
    res.connections_handshaking = s->admission.handshaking;
    res.connections_authenticated = s->admission.authenticated;
    res.handshakes_dropped = st->admission[ADMIT_DROPPED];
    res.refused_per_address = st->admission[ADMIT_REFUSED_ADDRESS];
    res.refused_handshake_budget = st->admission[ADMIT_REFUSED_HANDSHAKES];
    res.refused_max_connections = st->admission[ADMIT_REFUSED_CONNECTIONS];
    res.refused_authenticated = st->admission[ADMIT_REFUSED_AUTHENTICATED];
    res.submit_groups = st->submit_group_size.count;
    res.submit_group_batches = st->submit_group_batches;
    res.submit_group_p50 = stats_hist_percentile(&st->submit_group_size, 50);
    res.submit_group_p99 = stats_hist_percentile(&st->submit_group_size, 99);
    res.submit_group_max = st->submit_group_size.max_us;
    /* Field order; "other" (slot 0) last, as it is rarely of interest. */
    for (unsigned k = 1; k <= STATS_MAX_TYPES; k++) {
        unsigned slot = k % STATS_MAX_TYPES;
        if (slot >= huizong__request__descriptor.n_fields || st->types[slot].count == 0)
            continue;
        ops_type_row(&st->types[slot], slot, &rows[n], &lats[n]);
        ptrs[n] = &rows[n];
        n++;
    }
    res.n_request_types = n;
    res.request_types = ptrs;
    r.request_id = request_id;
    r.status = HUIZONG__STATUS__OK;
    r.body_case = HUIZONG__RESPONSE__BODY_STATS;
    r.stats = &res;
    conn_reply(c, &r);
}

void ops_stats(conn *c, uint64_t request_id, const handler_op *op, const ProtobufCMessage *body)
{
    (void)op;
    (void)body;
    conn_log(LOG_DEBUG, c, "stats");
    ops_reply_stats(c, request_id);
}
