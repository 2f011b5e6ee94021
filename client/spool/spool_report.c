/* Outcome of sending the spool, as the user reads it. */
#include "spool/spool_report.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/diag.h"
#include "spool/spool_unit.h"
#include "spool/spool_units.h"
#include "wire.h"
#include "i18n.h"

static void report_tally(const char *lead, const spool_tally *t)
{
    printf(_("%s: %llu accepted, %llu duplicates"), lead, (unsigned long long)t->accepted,
           (unsigned long long)t->duplicates);
    if (t->superseded > 0)
        printf(", %llu superseded", (unsigned long long)t->superseded);
    if (t->batches > 1)
        printf(_(" in %zu batches"), t->batches);
    if (t->sub_count == 1)
        printf(_(" (submission %s)"), t->first_sub);
    else if (t->sub_count > 1)
        printf(_(" (submissions %s%s%s)"), t->first_sub, t->sub_count > 2 ? " … " : ", ",
               t->last_sub);
    putchar('\n');
}

/* What sync left behind and why: never a silent success. */
static int report_skipped(const cconf *cfg, const char *label, const spool_result *res, int rc)
{
    char name[512];

    if (res->cert_unit[0] && !spool_cert_sends(res->cert_unit, res->cert_role)) {
        spool_unit_name(cfg, NULL, res->cert_unit, name, sizeof name);
        diag_error(_("%s: not sent: %zu records wait in %s; this certificate is for %s (%s), and "
                   "only a community certificate sends records:"), label, res->other_records,
                   cfg->spool, name, res->cert_role);
    } else {
        diag_error(_("%s: not sent: %zu records of other units wait in %s; this certificate "
                   "sends only its own unit's (%s):"), label, res->other_records, cfg->spool,
                   res->cert_unit[0] ? res->cert_unit : "unreadable");
    }
    spool_units_advise(stderr, cfg, "  ");
    return rc == HZ_EXIT_OK ? HZ_EXIT_REFUSED : rc;
}

int spool_report(const cconf *cfg, const char *label, const spool_result *res, int own_only)
{
    char lead[1200];
    int rc = HZ_EXIT_OK;

    if (res->mine.batches > 0)
        report_tally(label, &res->mine);
    else if (own_only && res->rc == HZ_EXIT_OK && res->mine.rejected_batches == 0 &&
             res->damaged == 0 && res->mine_left == 0)
        /* Gone from the spool, neither sent nor set aside by us: only a sender
         * that held the lock before us can have taken them. */
        printf(_("%s: sent by another huizong sending the same spool at the same time\n"), label);
    if (own_only && res->mine_left > 0 && res->rc == HZ_EXIT_OK) {
        diag_error(_("%s: not sent, still queued in %s: the server took this certificate for %s, "
                   "not the community %s"), label, cfg->spool,
                   res->principal[0] ? res->principal : _("someone else"), res->cert_unit);
        rc = HZ_EXIT_REFUSED;
    }
    if (res->older.batches > 0) {
        snprintf(lead, sizeof lead,
                 own_only ? _("also sent %zu records queued earlier") : _("sent %zu records"),
                 res->older.records);
        report_tally(lead, &res->older);
    }
    if (res->mine.rejected_batches || (!own_only && res->older.rejected_batches))
        rc = HZ_EXIT_REFUSED;
    if (res->damaged)
        rc = HZ_EXIT_INTERNAL;
    if (res->rc != HZ_EXIT_OK) {
        diag_error(_("%zu records queued in %s; run `huizong sync` when the server is reachable"),
                   res->left_records, cfg->spool);
        rc = res->rc;
    }
    if (res->other_records && own_only)
        fprintf(stderr, _("huizong: note: %zu records of other units wait in %s; `huizong sync` "
                "with their certificate sends them\n"), res->other_records, cfg->spool);
    else if (res->other_records)
        rc = report_skipped(cfg, label, res, rc);
    fflush(stdout);
    return rc;
}

int spool_submit(const cconf *cfg, const char *source, const Huizong__SubmitBatch *b,
                 const uint32_t *lines, progress *pg)
{
    char unit[SPOOL_UNIT_MAX], err[1024], label[1100];
    spool_names mine = {0};
    spool_result res;
    int rc;

    spool_cert_unit(cfg->cert, unit);
    if (unit[0] == '\0') {
        diag_error(_("cannot read the unit from the client certificate %s; records are queued "
                   "under it (see --creds, --cert)"), cfg->cert);
        return HZ_EXIT_NET;
    }
    if (spool_put(cfg->spool, unit, source, b, lines, HZ_DEFAULT_MAX_BATCH, &mine, err,
                  sizeof err) < 0) {
        progress_done(pg);
        diag_error("%s", err);
        return HZ_EXIT_INTERNAL;
    }
    pg->queued = spool_batch_count(b);
    progress_update(pg);
    spool_flush(cfg, NULL, &mine, pg, &res);
    progress_done(pg);
    snprintf(label, sizeof label, _("submitted %s"), source);
    rc = spool_report(cfg, label, &res, 1);
    spool_names_free(&mine);
    return rc;
}

void spool_before_command(const cconf *cfg, net_conn *conn)
{
    spool_result res;
    progress pg;

    if (net_hello(conn)->role != HUIZONG__ROLE__ROLE_COMMUNITY)
        return;
    progress_init(&pg, "sync");
    spool_flush(cfg, conn, NULL, &pg, &res);
    progress_done(&pg);
    if (res.older.batches > 0)
        fprintf(stderr, _("huizong: first sent %zu records queued in %s: %llu accepted, "
                "%llu duplicates, %llu superseded\n"), res.older.records, cfg->spool,
                (unsigned long long)res.older.accepted, (unsigned long long)res.older.duplicates,
                (unsigned long long)res.older.superseded);
}
