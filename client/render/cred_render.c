/* Tables and JSON for `admin cert list` and `admin audit`. */
#include "render/cred_render.h"

#include <stdlib.h>
#include <string.h>

#include "pbjson.h"
#include "render/table.h"
#include "i18n.h"

static int cred_json(FILE *f, const ProtobufCMessage *m)
{
    json_t *j = pbjson_from_message(m);
    int rc = j ? json_dumpf(j, f, JSON_INDENT(2)) : -1;

    json_decref(j);
    if (rc == 0)
        fputc('\n', f);
    return rc;
}

/* "2026-11-28T18:00:00Z" shown as "2026-11-28 18:00". */
static const char *cred_short_time(const char *t, char *buf, size_t len)
{
    if (strlen(t) < 16)
        return t;
    snprintf(buf, len, "%.10s %.5s", t, t + 11);
    return buf;
}

int cred_render_certs(FILE *f, const Huizong__CertListResult *r, bool json)
{
    table t;
    int rc;

    if (json)
        return cred_json(f, &r->base);
    table_init(&t);
    table_col(&t, _("fingerprint"), false);
    table_col(&t, _("unit"), false);
    table_col(&t, _("role"), false);
    table_col(&t, _("issued"), false);
    table_col(&t, _("not after"), false);
    table_col(&t, _("last seen"), false);
    table_col(&t, _("status"), false);
    for (size_t i = 0; i < r->n_certs; i++) {
        const Huizong__CertInfo *c = r->certs[i];
        char iss[24], until[24], seen[24], status[240];
        snprintf(status, sizeof status, "%s%s%s", c->revoked ? _("revoked ") : _("valid"),
                 c->revoked ? cred_short_time(c->revoked_at, seen, sizeof seen) : "",
                 c->revoke_reason[0] ? " " : "");
        if (c->revoke_reason[0])
            snprintf(status + strlen(status), sizeof status - strlen(status), "(%.150s)", c->revoke_reason);
        const char *cells[] = {c->fingerprint, c->unit_code, c->role,
                               c->issued_at[0] ? cred_short_time(c->issued_at, iss, sizeof iss) : "-",
                               c->not_after[0] ? cred_short_time(c->not_after, until, sizeof until) : "-",
                               c->last_seen[0] ? cred_short_time(c->last_seen, seen, sizeof seen) : "never",
                               status};
        table_row(&t, cells);
    }
    rc = table_print(f, &t);
    table_free(&t);
    return rc;
}

int cred_render_audit(FILE *f, const Huizong__AuditResult *r, bool json)
{
    table t;
    int rc;

    if (json)
        return cred_json(f, &r->base);
    table_init(&t);
    table_col(&t, _("time (UTC)"), false);
    table_col(&t, _("principal"), false);
    table_col(&t, _("certificate"), false);
    table_col(&t, _("peer"), false);
    table_col(&t, _("action"), false);
    table_col(&t, _("target"), false);
    table_col(&t, _("detail"), false);
    for (size_t i = 0; i < r->n_entries; i++) {
        const Huizong__AuditEntry *e = r->entries[i];
        char at[24], who[96], fp[20];
        snprintf(who, sizeof who, "%s/%s", e->role, e->unit_code);
        snprintf(fp, sizeof fp, "%.16s", e->fingerprint);
        const char *cells[] = {cred_short_time(e->at, at, sizeof at), who, fp, e->peer, e->action,
                               e->target, e->detail};
        table_row(&t, cells);
    }
    rc = table_print(f, &t);
    table_free(&t);
    return rc;
}

long cred_parse_duration(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    long mult = *end == 's' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600 : *end == 'd' ? 86400 : 0;

    if (end == s || n <= 0 || mult == 0 || end[1] != '\0' || n > 36500L * 86400 / mult)
        return -1;
    return n * mult;
}
