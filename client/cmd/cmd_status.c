/* huizong status: what waits in the spool, since when, the last error, and
 * the batches set aside (rejected with their errors, damaged). No network. */
#include "cmd/cmd_spool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/diag.h"
#include "spool/spool.h"
#include "spool/spool_units.h"
#include "i18n.h"

static void status_time(time_t t, char out[32])
{
    strftime(out, 32, "%Y-%m-%d %H:%M:%S", localtime(&t));
}

/* One line per batch; with_note: the reason it was set aside, indented. */
static size_t status_list(const char *dir, const char *sub, int with_note, size_t *records)
{
    spool_names q;
    char err[1024], when[32];
    size_t shown = 0;

    *records = 0;
    if (spool_list(dir, sub, &q, err, sizeof err) < 0) {
        diag_error("%s", err);
        return 0;
    }
    for (size_t i = 0; i < q.n; i++, shown++) {
        spool_batch sb;
        int rc = spool_load(dir, sub, q.names[i], 0, &sb, err, sizeof err);

        if (rc == 0) {
            status_time(sb.queued, when);
            printf(_("  %s%s%s  unit %s  %zu records  queued %s  from %s\n"), sub ? sub : "",
                   sub ? "/" : "", sb.name, sb.unit, sb.records, when, sb.source);
            *records += sb.records;
        } else {
            /* -1: unreadable (or just sent by a sync running now), -2: damaged. */
            printf("  %s%s%s  %s: %s\n", sub ? sub : "", sub ? "/" : "", q.names[i],
                   rc == -2 ? "DAMAGED" : "UNREADABLE", err);
        }
        char *note = with_note ? spool_note(dir, sub, q.names[i]) : NULL;
        if (note) {
            for (char *line = strtok(note, "\n"); line; line = strtok(NULL, "\n"))
                printf("      %s\n", line + (line[0] == ' ' && line[1] == ' ' ? 2 : 0));
            free(note);
        }
        spool_batch_free(&sb);
    }
    spool_names_free(&q);
    return shown;
}

static time_t status_oldest(const char *dir)
{
    spool_names q;
    char err[1024];
    spool_batch sb;
    time_t t = 0;

    if (spool_list(dir, NULL, &q, err, sizeof err) == 0 && q.n > 0 &&
        spool_load(dir, NULL, q.names[0], 0, &sb, err, sizeof err) == 0)
        t = sb.queued;
    if (q.n > 0)
        spool_batch_free(&sb);
    spool_names_free(&q);
    return t;
}

int spool_status_print(const cconf *cfg)
{
    size_t records, n;
    char when[32];
    char *last;

    printf(_("spool: %s\n"), cfg->spool);
    time_t oldest = status_oldest(cfg->spool);
    printf(_("queued:\n"));
    n = status_list(cfg->spool, NULL, 0, &records);
    if (n == 0) {
        printf(_("  nothing\n"));
    } else {
        status_time(oldest, when);
        printf(_("  %zu records in %zu batches, waiting since %s\n"), records, n, when);
    }
    if (n > 0) {
        /* Printed to a buffer first: the heading only when there are lines. */
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        size_t waiting = mem ? spool_units_advise(mem, cfg, "  ") : 0;
        if (mem && fclose(mem) == 0 && waiting > 0)
            printf(_("not sent by this certificate (what to do):\n%s"), buf);
        free(buf);
    }
    if ((last = spool_last_error(cfg->spool)) != NULL) {
        printf(_("last error: %s"), last);
        free(last);
    }
    printf(_("rejected (set aside, never resent; fix the source, send it again, then delete "
           "the file):\n"));
    if (status_list(cfg->spool, SPOOL_REJECTED, 1, &records) == 0)
        printf(_("  none\n"));
    printf(_("damaged (truncated or changed on disk; their records were not sent):\n"));
    if (status_list(cfg->spool, SPOOL_DAMAGED, 1, &records) == 0)
        printf(_("  none\n"));
    return fflush(stdout) == 0 ? HZ_EXIT_OK : HZ_EXIT_INTERNAL;
}
