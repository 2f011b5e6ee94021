/* admin correction list|approve|reject: a district principal above a
 * community decides on its requests to change records in locked periods. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "cmd/period_cli.h"
#include "i18n.h"
#include "net/session.h"
#include "render/record_diff.h"
#include "render/table.h"
#include "i18n.h"

/* What one correction changes: old → new per field, or the retraction. */
static void corr_changes(const Huizong__CorrectionItem *c)
{
    json_t *old = json_loads(c->old_content, 0, NULL);
    json_t *new_ = json_loads(c->content, 0, NULL);

    printf(_("correction %llu (%s %s of record %s, version %u):\n"),
           (unsigned long long)c->correction_id, c->unit_code, c->action, c->record_id,
           c->base_version);
    if (strcmp(c->action, "retract") == 0)
        printf("  %s\n", _("the record is withdrawn"));
    else if (new_ == NULL)
        printf("  %s\n", _("(the new content cannot be read)"));
    else if (record_diff_print(stdout, "  ", old ? old : json_object(), new_) == 0)
        printf("  %s\n", _("no field changes"));
    json_decref(old);
    json_decref(new_);
}

static int corr_table(const Huizong__CorrectionListResult *r)
{
    table t;
    int rc;

    table_init(&t);
    table_col(&t, _("ID"), true);
    table_col(&t, _("UNIT"), false);
    table_col(&t, _("RECORD_ID"), false);
    table_col(&t, _("ACTION"), false);
    table_col(&t, _("STATUS"), false);
    table_col(&t, _("REQUESTED"), false);
    table_col(&t, _("REASON"), false);
    table_col(&t, _("DECIDED"), false);
    for (size_t i = 0; i < r->n_corrections; i++) {
        const Huizong__CorrectionItem *c = r->corrections[i];
        char id[24], action[48], decided[200];
        snprintf(id, sizeof id, "%llu", (unsigned long long)c->correction_id);
        snprintf(action, sizeof action, "%s v%u", c->action, c->base_version);
        if (c->decided_at[0])
            snprintf(decided, sizeof decided, _("%s by %s%s%s"), c->decided_at, c->decided_by,
                     c->decision_reason[0] ? ": " : "", c->decision_reason);
        else
            decided[0] = '\0';
        const char *cells[8] = {id, c->unit_code, c->record_id, action, c->status,
                                c->requested_at, c->reason, decided};
        table_row(&t, cells);
    }
    rc = table_print(stdout, &t);
    table_free(&t);
    for (size_t i = 0; rc == 0 && i < r->n_corrections; i++) {
        fputc('\n', stdout);
        corr_changes(r->corrections[i]);
    }
    return rc == 0 && fflush(stdout) == 0 ? HZ_EXIT_OK : HZ_EXIT_INTERNAL;
}

/* Every correction of the principal's reach, or NULL (already reported). */
static Huizong__Response *corr_fetch(cli_globals *g, const char *status, const char *unit)
{
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__CorrectionList cl = HUIZONG__CORRECTION_LIST__INIT;
    Huizong__Response *resp;

    cl.status = (char *)(status ? status : "");
    cl.unit_code = (char *)(unit ? unit : "");
    req.body_case = HUIZONG__REQUEST__BODY_CORRECTION_LIST;
    req.correction_list = &cl;
    return session_request(g, &req, HUIZONG__RESPONSE__BODY_CORRECTION_LIST, &resp) == HZ_EXIT_OK
               ? resp : NULL;
}

static const Huizong__CorrectionItem *corr_find(const Huizong__Response *resp, uint64_t id)
{
    for (size_t i = 0; resp && i < resp->correction_list->n_corrections; i++)
        if (resp->correction_list->corrections[i]->correction_id == id)
            return resp->correction_list->corrections[i];
    return NULL;
}

static int corr_parse_id(const char *cmd, const char *id, uint64_t *out)
{
    char *end;

    if (id == NULL)
        return cli_missing(cmd, "ID (as `huizong admin correction list` shows)");
    *out = strtoull(id, &end, 10);
    if (*end || end == id || id[0] == '-' || *out == 0) {
        diag_error("%s: %s is not a correction id (a number, as the list shows)", cmd, id);
        return HZ_EXIT_USAGE;
    }
    return HZ_EXIT_OK;
}

int cmd_admin_correction_show(cli_globals *g, int argc, char **argv)
{
    static const char *cmd = "admin correction show";
    const char *id = NULL;
    uint64_t n = 0;
    int rc = cli_parse_opts(cmd, NULL, 0, g, argc, argv, &id, 1);

    if (rc == HZ_EXIT_OK)
        rc = corr_parse_id(cmd, id, &n);
    if (rc != HZ_EXIT_OK)
        return rc;
    Huizong__Response *resp = corr_fetch(g, "all", NULL);
    if (resp == NULL)
        return HZ_EXIT_REFUSED;
    const Huizong__CorrectionItem *c = corr_find(resp, n);
    if (c == NULL) {
        diag_error("%s: no correction %s within reach (see huizong admin correction list "
                   "--status all)", cmd, id);
        rc = HZ_EXIT_REFUSED;
    } else {
        printf(_("status %s, requested %s, reason: %s\n"), c->status, c->requested_at, c->reason);
        if (c->decided_at[0])
            printf(_("decided %s by %s%s%s\n"), c->decided_at, c->decided_by,
                   c->decision_reason[0] ? ": " : "", c->decision_reason);
        corr_changes(c);
        rc = fflush(stdout) == 0 ? HZ_EXIT_OK : HZ_EXIT_INTERNAL;
    }
    huizong__response__free_unpacked(resp, NULL);
    return rc;
}

int cmd_admin_correction_list(cli_globals *g, int argc, char **argv)
{
    static const char *cmd = "admin correction list";
    const char *status = NULL, *unit = NULL, *format = NULL;
    bool json;
    const cli_opt opts[] = {{"--status", &status, NULL}, {"--unit", &unit, NULL},
                         {"--format", &format, NULL}};
    Huizong__Response *resp;
    int rc = cli_parse_opts(cmd, opts, 3, g, argc, argv, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (period_format(cmd, format, &json) < 0)
        return HZ_EXIT_USAGE;
    if ((resp = corr_fetch(g, status, unit)) == NULL)
        return HZ_EXIT_REFUSED;
    static const char *const expand[] = {"content", "old_content", NULL};
    rc = json ? period_print_json(&resp->correction_list->base, expand)
              : corr_table(resp->correction_list);
    huizong__response__free_unpacked(resp, NULL);
    return rc;
}

static int corr_decide(cli_globals *g, int argc, char **argv, bool approve)
{
    const char *cmd = approve ? "admin correction approve" : "admin correction reject";
    const char *id = NULL, *reason = NULL;
    const cli_opt opts[] = {{"--reason", &reason, NULL}};
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__CorrectionDecide cd = HUIZONG__CORRECTION_DECIDE__INIT;
    Huizong__Response *resp;
    uint64_t n = 0;
    int rc = cli_parse_opts(cmd, opts, 1, g, argc, argv, &id, 1);

    if (rc == HZ_EXIT_OK)
        rc = corr_parse_id(cmd, id, &n);
    if (rc != HZ_EXIT_OK)
        return rc;
    cd.correction_id = n;
    if (!approve && (reason == NULL || *reason == '\0'))
        return cli_missing(cmd, "--reason TEXT");
    if (approve) {
        /* The approver sees what is applied; a correction not found here is
         * left for the server to refuse with its own reason. */
        Huizong__Response *list = corr_fetch(g, "pending", NULL);
        const Huizong__CorrectionItem *c = corr_find(list, n);
        if (c)
            corr_changes(c);
        if (list)
            huizong__response__free_unpacked(list, NULL);
    }
    cd.reason = (char *)(reason ? reason : "");
    req.body_case = approve ? HUIZONG__REQUEST__BODY_CORRECTION_APPROVE
                            : HUIZONG__REQUEST__BODY_CORRECTION_REJECT;
    if (approve)
        req.correction_approve = &cd;
    else
        req.correction_reject = &cd;
    rc = session_request(g, &req, approve ? HUIZONG__RESPONSE__BODY_CORRECTION_APPROVE
                                      : HUIZONG__RESPONSE__BODY_CORRECTION_REJECT, &resp);
    if (rc != HZ_EXIT_OK)
        return rc;
    const Huizong__CorrectionResult *r = approve ? resp->correction_approve : resp->correction_reject;
    if (approve)
        printf(_("correction %llu approved and applied (record version %u)\n"),
               (unsigned long long)r->correction_id, r->version);
    else
        printf(_("correction %llu rejected\n"), (unsigned long long)r->correction_id);
    huizong__response__free_unpacked(resp, NULL);
    return HZ_EXIT_OK;
}

int cmd_admin_correction_approve(cli_globals *g, int argc, char **argv)
{
    return corr_decide(g, argc, argv, true);
}

int cmd_admin_correction_reject(cli_globals *g, int argc, char **argv)
{
    return corr_decide(g, argc, argv, false);
}
