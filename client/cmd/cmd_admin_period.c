/* The admin quota, deadline, period and correction commands
 * (docs/period.md). An admin certificate manages any unit, a district
 * certificate its own unit and everything below it. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "cmd/period_cli.h"
#include "net/session.h"
#include "render/render.h"
#include "render/table.h"
#include "validate.h"
#include "i18n.h"

void cmd_admin_period_help(FILE *f)
{
    fputs(_("usage: huizong [GLOBAL OPTIONS] admin NOUN VERB ...  (admin or district certificate)\n"), f);
    cmd_usage_lines(f, "admin quota set", "admin correction reject");
    fputs(_("\n"
          "quota set        at least N of an indicator per period (month, quarter, year; not\n"
          "                 finer than the indicator's own), for --unit and everything below\n"
          "                 it, from the period --from (2020-01, 2020-Q1, 2020). A change is a\n"
          "                 new row: the old one stays in the history. N = 0 lifts a quota\n"
          "                 set higher up for this subtree. The quota in force for a\n"
          "                 community is the latest-effective one of its nearest unit\n"
          "                 (itself, then its parents) that defines one.\n"
          "quota list       quotas that apply to --unit (default: your unit) and those set\n"
          "                 below it; --history adds rows replaced by a later setting.\n"
          "deadline set     values of these indicators are due on day N (1-28) of the\n"
          "                 following period (default 5), China Standard Time, for --unit\n"
          "                 and below (admin without --unit: everywhere).\n"
          "deadline list    the rules in force for --unit, above it, below it and\n"
          "                 everywhere (default: your unit; admin: all).\n"
          "period lock      refuses every write (submit, amend, retract, nil) of the unit's\n"
          "                 subtree in PERIOD (2020-06, 2020-Q2, 2020); activities and\n"
          "                 honours count by their date. Changes then go through correction\n"
          "                 requests. Locking again is not an error.\n"
          "period unlock    lifts the lock set on exactly that unit and period.\n"
          "period list      locks in force on --unit, above it and below it.\n"
          "correction list  correction requests of your subtree (default: pending).\n"
          "correction approve  applies the request as a new version (or retraction) of the\n"
          "                 record and records who approved; only from above the community.\n"
          "correction reject   closes the request unapplied; --reason is required.\n"),
          f);
}

/* ----------------------------------------------------------------- quota */

int cmd_admin_quota_set(cli_globals *g, int argc, char **argv)
{
    static const char *cmd = "admin quota set";
    const char *unit = NULL, *ind = NULL, *type = NULL, *min = NULL, *from = NULL;
    const cli_opt opts[] = {{"--unit", &unit, NULL}, {"--indicator", &ind, NULL},
                         {"--period-type", &type, NULL}, {"--min", &min, NULL},
                         {"--from", &from, NULL}};
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__QuotaSet qs = HUIZONG__QUOTA_SET__INIT;
    Huizong__Response *resp;
    char *end;
    int rc = cli_parse_opts(cmd, opts, 5, g, argc, argv, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (!unit || !ind || !type || !min || !from)
        return cli_missing(cmd, !unit ? "--unit CODE" : !ind ? "--indicator CODE"
                                 : !type ? "--period-type month|quarter|year"
                                 : !min ? "--min N" : "--from PERIOD");
    errno = 0;
    qs.minimum = strtod(min, &end);
    if (*end || end == min || errno || !isfinite(qs.minimum)) {
        diag_error(_("%s: --min %s: want a number"), cmd, min);
        return HZ_EXIT_USAGE;
    }
    qs.unit_code = (char *)unit;
    qs.indicator = (char *)ind;
    qs.period_type = (char *)type;
    qs.effective_from = (char *)from;
    req.body_case = HUIZONG__REQUEST__BODY_QUOTA_SET;
    req.quota_set = &qs;
    if ((rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_QUOTA_SET, &resp)) != HZ_EXIT_OK)
        return rc;
    printf(_("quota %llu: %s per %s for %s from %s: at least %s (%s)\n"),
           (unsigned long long)resp->quota_set->quota_id, ind, type, unit, from, min,
           resp->quota_set->created ? _("set") : _("already set, nothing changed"));
    huizong__response__free_unpacked(resp, NULL);
    return HZ_EXIT_OK;
}

static int period_quota_table(const Huizong__QuotaListResult *r, bool history)
{
    table t;
    char id[24], min[48];
    int rc;

    table_init(&t);
    table_col(&t, _("ID"), true);
    table_col(&t, _("UNIT"), false);
    table_col(&t, _("INDICATOR"), false);
    table_col(&t, _("PER"), false);
    table_col(&t, _("MIN"), true);
    table_col(&t, _("FROM"), false);
    table_col(&t, _("SET"), false);
    if (history)
        table_col(&t, _("STATE"), false);
    for (size_t i = 0; i < r->n_quotas; i++) {
        const Huizong__QuotaItem *q = r->quotas[i];
        char set[160];
        snprintf(id, sizeof id, "%llu", (unsigned long long)q->quota_id);
        render_number(q->minimum, min, sizeof min);
        snprintf(set, sizeof set, _("%s by %s"), q->set_at, q->set_by);
        const char *cells[8] = {id, q->unit_code, q->indicator, q->period_type, min,
                                q->effective_from, set, q->superseded ? _("replaced") : _("in force")};
        table_row(&t, cells);
    }
    rc = table_print(stdout, &t);
    table_free(&t);
    return rc == 0 && fflush(stdout) == 0 ? HZ_EXIT_OK : HZ_EXIT_INTERNAL;
}

int cmd_admin_quota_list(cli_globals *g, int argc, char **argv)
{
    static const char *cmd = "admin quota list";
    const char *unit = NULL, *ind = NULL, *format = NULL;
    bool history = false, json;
    const cli_opt opts[] = {{"--unit", &unit, NULL}, {"--indicator", &ind, NULL},
                         {"--history", NULL, &history}, {"--format", &format, NULL}};
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__QuotaList ql = HUIZONG__QUOTA_LIST__INIT;
    Huizong__Response *resp;
    int rc = cli_parse_opts(cmd, opts, 4, g, argc, argv, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (period_format(cmd, format, &json) < 0)
        return HZ_EXIT_USAGE;
    ql.unit_code = (char *)(unit ? unit : "");
    ql.indicator = (char *)(ind ? ind : "");
    ql.history = history;
    req.body_case = HUIZONG__REQUEST__BODY_QUOTA_LIST;
    req.quota_list = &ql;
    if ((rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_QUOTA_LIST, &resp)) != HZ_EXIT_OK)
        return rc;
    rc = json ? period_print_json(&resp->quota_list->base, NULL)
              : period_quota_table(resp->quota_list, history);
    huizong__response__free_unpacked(resp, NULL);
    return rc;
}

/* -------------------------------------------------------------- deadline */

int cmd_admin_deadline_set(cli_globals *g, int argc, char **argv)
{
    static const char *cmd = "admin deadline set";
    const char *inds = NULL, *day = NULL, *unit = NULL;
    const cli_opt opts[] = {{"--indicators", &inds, NULL}, {"--day", &day, NULL},
                         {"--unit", &unit, NULL}};
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__DeadlineSet ds = HUIZONG__DEADLINE_SET__INIT;
    Huizong__Response *resp;
    char **list, *end;
    long d;
    int rc = cli_parse_opts(cmd, opts, 3, g, argc, argv, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (!inds || !day)
        return cli_missing(cmd, !inds ? "--indicators CODE,..." : "--day N");
    d = strtol(day, &end, 10);
    if (*end || end == day || d < -1000 || d > 1000) {
        diag_error(_("%s: --day %s: want a day of the month, 1 to 28"), cmd, day);
        return HZ_EXIT_USAGE;
    }
    if ((list = period_list("admin deadline set: --indicators", inds, &ds.n_indicators)) == NULL)
        return HZ_EXIT_USAGE;
    ds.indicators = list;
    ds.day = (int32_t)d;
    ds.unit_code = (char *)(unit ? unit : "");
    req.body_case = HUIZONG__REQUEST__BODY_DEADLINE_SET;
    req.deadline_set = &ds;
    rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_DEADLINE_SET, &resp);
    period_list_free(list);
    if (rc != HZ_EXIT_OK)
        return rc;
    printf(_("deadline: day %ld of the following period for %s%s%s (%u changed)\n"), d, inds,
           unit ? " in " : "", unit ? unit : "", resp->deadline_set->changed);
    huizong__response__free_unpacked(resp, NULL);
    return HZ_EXIT_OK;
}

int cmd_admin_deadline_list(cli_globals *g, int argc, char **argv)
{
    static const char *cmd = "admin deadline list";
    const char *unit = NULL;
    const cli_opt opts[] = {{"--unit", &unit, NULL}};
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__DeadlineList dl = HUIZONG__DEADLINE_LIST__INIT;
    Huizong__Response *resp;
    table t;
    int rc = cli_parse_opts(cmd, opts, 1, g, argc, argv, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    dl.unit_code = (char *)(unit ? unit : "");
    req.body_case = HUIZONG__REQUEST__BODY_DEADLINE_LIST;
    req.deadline_list = &dl;
    if ((rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_DEADLINE_LIST, &resp)) != HZ_EXIT_OK)
        return rc;
    table_init(&t);
    table_col(&t, _("UNIT"), false);
    table_col(&t, _("INDICATOR"), false);
    table_col(&t, _("DAY"), true);
    table_col(&t, _("SET"), false);
    for (size_t i = 0; i < resp->deadline_list->n_deadlines; i++) {
        const Huizong__DeadlineItem *d = resp->deadline_list->deadlines[i];
        char day[16], set[160];
        snprintf(day, sizeof day, "%d", d->day);
        snprintf(set, sizeof set, _("%s by %s"), d->set_at, d->set_by);
        const char *cells[4] = {d->unit_code[0] ? d->unit_code : "(everywhere)", d->indicator, day, set};
        table_row(&t, cells);
    }
    rc = table_print(stdout, &t) == 0 && fflush(stdout) == 0 ? HZ_EXIT_OK : HZ_EXIT_INTERNAL;
    table_free(&t);
    printf(_("without a rule, values are due on day 5 of the following period\n"));
    huizong__response__free_unpacked(resp, NULL);
    return rc;
}

/* ---------------------------------------------------------------- period */

static int period_lock_cmd(cli_globals *g, int argc, char **argv, bool lock)
{
    const char *cmd = lock ? "admin period lock" : "admin period unlock";
    const char *unit = NULL, *period = NULL;
    const cli_opt opts[] = {{"--unit", &unit, NULL}, {"--period", &period, NULL}};
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__PeriodLock pl = HUIZONG__PERIOD_LOCK__INIT;
    Huizong__Response *resp;
    int rc = cli_parse_opts(cmd, opts, 2, g, argc, argv, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (!unit || !period)
        return cli_missing(cmd, !unit ? "--unit CODE" : "--period PERIOD");
    pl.unit_code = (char *)unit;
    pl.period = (char *)period;
    req.body_case = lock ? HUIZONG__REQUEST__BODY_PERIOD_LOCK : HUIZONG__REQUEST__BODY_PERIOD_UNLOCK;
    if (lock)
        req.period_lock = &pl;
    else
        req.period_unlock = &pl;
    rc = session_request(g, &req, lock ? HUIZONG__RESPONSE__BODY_PERIOD_LOCK
                                   : HUIZONG__RESPONSE__BODY_PERIOD_UNLOCK, &resp);
    if (rc != HZ_EXIT_OK)
        return rc;
    bool changed = lock ? resp->period_lock->changed : resp->period_unlock->changed;
    printf(lock ? _("period %s locked for %s%s\n") : _("period %s unlocked for %s%s\n"), period,
           unit, changed ? "" : _(" (it already was)"));
    huizong__response__free_unpacked(resp, NULL);
    return HZ_EXIT_OK;
}

int cmd_admin_period_list(cli_globals *g, int argc, char **argv)
{
    static const char *cmd = "admin period list";
    const char *unit = NULL;
    const cli_opt opts[] = {{"--unit", &unit, NULL}};
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__PeriodLockList pl = HUIZONG__PERIOD_LOCK_LIST__INIT;
    Huizong__Response *resp;
    table t;
    int rc = cli_parse_opts(cmd, opts, 1, g, argc, argv, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    pl.unit_code = (char *)(unit ? unit : "");
    req.body_case = HUIZONG__REQUEST__BODY_PERIOD_LOCK_LIST;
    req.period_lock_list = &pl;
    if ((rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_PERIOD_LOCK_LIST, &resp)) != HZ_EXIT_OK)
        return rc;
    table_init(&t);
    table_col(&t, _("UNIT"), false);
    table_col(&t, _("PERIOD"), false);
    table_col(&t, _("LOCKED AT"), false);
    table_col(&t, _("BY"), false);
    for (size_t i = 0; i < resp->period_lock_list->n_locks; i++) {
        const Huizong__PeriodLockItem *l = resp->period_lock_list->locks[i];
        const char *cells[4] = {l->unit_code, l->period, l->locked_at, l->locked_by};
        table_row(&t, cells);
    }
    rc = table_print(stdout, &t) == 0 && fflush(stdout) == 0 ? HZ_EXIT_OK : HZ_EXIT_INTERNAL;
    table_free(&t);
    huizong__response__free_unpacked(resp, NULL);
    return rc;
}

int cmd_admin_period_lock(cli_globals *g, int argc, char **argv)
{
    return period_lock_cmd(g, argc, argv, true);
}

int cmd_admin_period_unlock(cli_globals *g, int argc, char **argv)
{
    return period_lock_cmd(g, argc, argv, false);
}

static int period_unknown_verb(const char *noun)
{
    diag_error(_("admin %s: unknown or missing verb (see huizong admin %s --help)"), noun, noun);
    return HZ_EXIT_USAGE;
}

int cmd_admin_quota_unknown(cli_globals *g, int argc, char **argv)
{
    (void)g, (void)argc, (void)argv;
    return period_unknown_verb("quota");
}

int cmd_admin_deadline_unknown(cli_globals *g, int argc, char **argv)
{
    (void)g, (void)argc, (void)argv;
    return period_unknown_verb("deadline");
}

int cmd_admin_period_unknown(cli_globals *g, int argc, char **argv)
{
    (void)g, (void)argc, (void)argv;
    return period_unknown_verb("period");
}

int cmd_admin_correction_unknown(cli_globals *g, int argc, char **argv)
{
    (void)g, (void)argc, (void)argv;
    return period_unknown_verb("correction");
}
