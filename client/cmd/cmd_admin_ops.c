/* huizong admin stats: the server's counters (docs/ops.md). Admin
 * certificates only; the server answers from memory. */
#include <stdlib.h>
#include <string.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "cmd/period_cli.h"
#include "net/session.h"
#include "render/table.h"
#include "i18n.h"

void cmd_admin_stats_help(FILE *f)
{
    fputs(_("usage: huizong [GLOBAL OPTIONS] admin stats [--format table|json]  (admin certificate)\n"
          "\n"
          "stats  the server's counters since it started: connections (open, accepted,\n"
          "       refused, failed handshakes), admission (connections without Hello\n"
          "       and authenticated, drops and refusals by limit), requests by type (count, answered OK,\n"
          "       refused, failed) with their latency from request read to reply\n"
          "       queued (p50, p99, max), records committed, and the database pool\n"
          "       (connections up, calls waiting). --format json prints every field.\n"),
          f);
}

/* A latency for people: 850us, 12.4ms, 3.21s. */
static void ops_duration(uint64_t us, char *buf, size_t len)
{
    if (us < 1000)
        snprintf(buf, len, "%lluus", (unsigned long long)us);
    else if (us < 1000000)
        snprintf(buf, len, "%.1fms", (double)us / 1000.0);
    else
        snprintf(buf, len, "%.2fs", (double)us / 1000000.0);
}

static void ops_print_header(const Huizong__StatsResult *s)
{
    unsigned long long up = (unsigned long long)s->uptime_seconds;

    printf(_("%s, up %llud %02lluh %02llum %02llus\n"), s->server_version, up / 86400,
           up / 3600 % 24, up / 60 % 60, up % 60);
    printf(_("connections  %llu open, %llu accepted, %llu refused, %llu failed handshakes\n"),
           (unsigned long long)s->connections_current, (unsigned long long)s->connections_accepted,
           (unsigned long long)s->connections_refused, (unsigned long long)s->handshakes_failed);
    printf(_("admission    %llu without Hello, %llu authenticated; %llu dropped (oldest without "
           "Hello), refused: %llu per address, %llu handshake budget, %llu max_connections, "
           "%llu busy at Hello\n"),
           (unsigned long long)s->connections_handshaking,
           (unsigned long long)s->connections_authenticated,
           (unsigned long long)s->handshakes_dropped, (unsigned long long)s->refused_per_address,
           (unsigned long long)s->refused_handshake_budget,
           (unsigned long long)s->refused_max_connections,
           (unsigned long long)s->refused_authenticated);
    printf(_("requests     %llu, %llu malformed\n"), (unsigned long long)s->requests,
           (unsigned long long)s->requests_malformed);
    printf(_("records      %llu committed\n"), (unsigned long long)s->records_committed);
    printf(_("group commit %llu transactions of %llu batches; batches per transaction: p50 %llu, "
           "p99 %llu, max %llu\n"),
           (unsigned long long)s->submit_groups, (unsigned long long)s->submit_group_batches,
           (unsigned long long)s->submit_group_p50, (unsigned long long)s->submit_group_p99,
           (unsigned long long)s->submit_group_max);
    printf(_("database     %u of %u connections up, %llu calls waiting\n\n"), s->db_connected,
           s->db_pool_size, (unsigned long long)s->db_queue_length);
}

static void ops_row(table *t, const Huizong__StatsRequestType *r)
{
    char n[4][24], lat[3][24];
    const Huizong__StatsLatency *l = r->latency;
    uint64_t v[4] = {r->count, r->ok, r->refused, r->failed};

    for (int i = 0; i < 4; i++)
        snprintf(n[i], sizeof n[i], "%llu", (unsigned long long)v[i]);
    ops_duration(l ? l->p50_us : 0, lat[0], sizeof lat[0]);
    ops_duration(l ? l->p99_us : 0, lat[1], sizeof lat[1]);
    ops_duration(l ? l->max_us : 0, lat[2], sizeof lat[2]);
    const char *cells[8] = {r->type, n[0], n[1], n[2], n[3], lat[0], lat[1], lat[2]};
    table_row(t, cells);
}

static int ops_print_table(const Huizong__StatsResult *s)
{
    static const char *const heads[8] = {"TYPE", "COUNT", "OK", "REFUSED", "FAILED",
                                         "P50", "P99", "MAX"};
    table t;
    int rc;

    ops_print_header(s);
    table_init(&t);
    for (int i = 0; i < 8; i++)
        table_col(&t, heads[i], i > 0);
    for (size_t i = 0; i < s->n_request_types; i++)
        ops_row(&t, s->request_types[i]);
    rc = table_print(stdout, &t);
    table_free(&t);
    if (rc != 0 || fflush(stdout) != 0) {
        diag_error(_("cannot write the output"));
        return HZ_EXIT_INTERNAL;
    }
    return HZ_EXIT_OK;
}

int cmd_admin_stats(cli_globals *g, int argc, char **argv)
{
    static const char *cmd = "admin stats";
    const char *format = NULL;
    bool json;
    const cli_opt opts[] = {{"--format", &format, NULL}};
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__StatsRequest sr = HUIZONG__STATS_REQUEST__INIT;
    Huizong__Response *resp;
    int rc = cli_parse_opts(cmd, opts, 1, g, argc, argv, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (period_format(cmd, format, &json) < 0)
        return HZ_EXIT_USAGE;
    req.body_case = HUIZONG__REQUEST__BODY_STATS;
    req.stats = &sr;
    if ((rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_STATS, &resp)) != HZ_EXIT_OK)
        return rc;
    rc = json ? period_print_json(&resp->stats->base, NULL) : ops_print_table(resp->stats);
    huizong__response__free_unpacked(resp, NULL);
    return rc;
}
