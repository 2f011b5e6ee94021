/* huizong pull: every record version created, amended or retracted after a
 * cursor, as JSON {"records": [...], "cursor": N}; pass N as --since next
 * time. Pages are fetched until the server has no more, each written as it
 * arrives. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "cmd/cmd_district.h"
#include "net/session.h"
#include "render/export.h"
#include "i18n.h"

void cmd_pull_help(FILE *f)
{
    fputs(_("usage: huizong [GLOBAL OPTIONS] pull [--since CURSOR] [--unit CODE] [--out FILE]\n"
          "\n"
          "Every record version of the unit's subtree created, amended or retracted\n"
          "after CURSOR (default 0: everything), as JSON {\"records\": [ExportRecord...],\n"
          "\"cursor\": N}. Give N as --since next time: no change is ever skipped, even\n"
          "one committed late by a concurrent submission. \"retracted\": true marks a\n"
          "withdrawn record; a higher \"version\" supersedes a lower one.\n"),
          f);
}

static int pull_since(const char *v, uint64_t *out)
{
    char *end;

    errno = 0;
    if (!v) {
        *out = 0;
        return 0;
    }
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || *end || end == v || v[0] == '-' || n > INT64_MAX) {
        diag_error(_("pull: --since %s: want a cursor (a whole number) from an earlier pull"), v);
        return -1;
    }
    *out = n;
    return 0;
}

static int pull_loop(net_conn *conn, const district_args *a, uint64_t since, FILE *out)
{
    Huizong__PullRequest pr = HUIZONG__PULL_REQUEST__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    export_writer w;
    int rc = HZ_EXIT_OK, more = 1;

    export_writer_init(&w, "json", out);
    export_write_begin(&w);
    pr.unit_code = (char *)(a->unit ? a->unit : "");
    pr.limit = a->page_size;
    req.body_case = HUIZONG__REQUEST__BODY_PULL;
    req.pull = &pr;
    while (more && rc == HZ_EXIT_OK) {
        Huizong__Response *resp;
        Huizong__ExportChunk chunk = HUIZONG__EXPORT_CHUNK__INIT;

        pr.since = since;
        if ((rc = session_call(conn, &req, HUIZONG__RESPONSE__BODY_PULL, NULL, &resp)) != HZ_EXIT_OK)
            break;
        chunk.records = resp->pull->records;
        chunk.n_records = resp->pull->n_records;
        if (export_write_page(&w, &chunk) < 0)
            rc = HZ_EXIT_INTERNAL;
        since = resp->pull->cursor;
        more = resp->pull->more && resp->pull->n_records > 0;
        huizong__response__free_unpacked(resp, NULL);
    }
    if (rc == HZ_EXIT_OK)
        fprintf(out, "\n], \"cursor\": %" PRIu64 "}\n", since);
    return rc;
}

int cmd_pull(cli_globals *g, int argc, char **argv)
{
    static const char *const formats[] = {"json", NULL};
    district_args a = {.cmd = "pull"};
    uint64_t since;
    net_conn *conn;
    cconf cfg;
    FILE *out;
    int rc;

    if ((rc = district_parse(g, argc, argv, &a, formats)) != HZ_EXIT_OK)
        return rc;
    if (pull_since(a.since, &since) < 0)
        return HZ_EXIT_USAGE;
    if ((rc = session_config(g, &cfg)) != HZ_EXIT_OK)
        return rc;
    rc = session_open(&cfg, &conn);
    cconf_free(&cfg);
    if (rc != HZ_EXIT_OK)
        return rc;
    if ((out = district_open_out(&a)) == NULL) {
        net_close(conn);
        return HZ_EXIT_USAGE;
    }
    rc = pull_loop(conn, &a, since, out);
    net_close(conn);
    return district_close_out(&a, out, rc);
}
