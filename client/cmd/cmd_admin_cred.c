/* huizong admin enroll create | cert list | cert revoke | audit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/diag.h"
#include "code.h"
#include "cmd/cmd.h"
#include "net/session.h"
#include "render/cred_render.h"
#include "i18n.h"

static const char *const cred_help_enroll = N_(
    "usage: huizong [GLOBAL OPTIONS] admin enroll create --unit CODE\n"
    "                 --role community|district|admin [--expires 72h]\n"
    "\n"
    "create  makes a one-time enrollment code for one unit and role (admin\n"
    "        certificate only) and prints it once on stdout as UNIT/ROLE/XXXX-...\n"
    "        (160 random bits). The server keeps only its SHA-256. Hand it, with the\n"
    "        CA certificate, to whoever runs `huizong enroll` on the new machine.\n"
    "        --expires: how long the code stays valid (s, m, h or d; default 72h,\n"
    "        at most 30d). A code is used once; the unit must be in the org tree.\n");

static const char *const cred_help_cert = N_(
    "usage: huizong [GLOBAL OPTIONS] admin cert list [--unit CODE] [--format table|json]\n"
    "       huizong [GLOBAL OPTIONS] admin cert revoke --fingerprint FP [--reason TEXT]\n"
    "       huizong [GLOBAL OPTIONS] admin cert revoke --unit CODE [--reason TEXT]\n"
    "       huizong admin cert issue ...   (local, no server: see huizong admin --help)\n"
    "\n"
    "list    certificates issued by enrollment and certificates seen at Hello, with\n"
    "        unit, role, issue and expiry times, last use and revocation (admin only).\n"
    "        --format json prints the CertListResult with proto field names.\n"
    "revoke  refuses a certificate (by its SHA-256 fingerprint, 64 hex digits as\n"
    "        `cert list` shows it) or every known certificate of a unit, from the next\n"
    "        connection on, without a restart (admin only). Unknown fingerprint or\n"
    "        unit: NOT_FOUND (exit 4). Revoking again changes nothing.\n");

static const char *const cred_help_audit = N_(
    "usage: huizong [GLOBAL OPTIONS] admin audit [--unit CODE] [--since WHEN]\n"
    "                 [--limit N] [--format table|json]\n"
    "\n"
    "Reads the audit trail, newest first: every write and admin action with the\n"
    "principal (role/unit), its certificate fingerprint, peer address and time.\n"
    "An admin sees everything; a district office sees the rows of its own unit and\n"
    "the units below it; communities are refused.\n"
    "  --unit   only rows by or about this unit\n"
    "  --since  a day (2026-11-01, UTC), a time (2026-11-01T08:00:00Z) or a duration\n"
    "           back from now (72h, 30d, 90m)\n"
    "  --limit  at most N rows (default 100, at most 10000)\n"
    "  --format table (default) or json (the AuditResult with proto field names)\n");

typedef struct {
    const char *unit, *role, *expires, *fingerprint, *reason, *since, *limit, *format;
} cred_args;

/* The options named in `allowed` are the command's own. */
static int cred_parse(const char *cmd, const char *allowed, cli_globals *g, int argc, char **argv,
                      cred_args *a)
{
    const cli_opt all[] = {
        {"--unit", &a->unit, NULL},       {"--role", &a->role, NULL},
        {"--expires", &a->expires, NULL}, {"--fingerprint", &a->fingerprint, NULL},
        {"--reason", &a->reason, NULL},   {"--since", &a->since, NULL},
        {"--limit", &a->limit, NULL},     {"--format", &a->format, NULL},
    };
    cli_opt opts[sizeof all / sizeof all[0]];
    size_t n = 0;
    int rc;

    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        if (strstr(allowed, all[k].name))
            opts[n++] = all[k];
    if ((rc = cli_parse_opts(cmd, opts, n, g, argc, argv, NULL, 0)) != HZ_EXIT_OK)
        return rc;
    if (a->format && strcmp(a->format, "table") && strcmp(a->format, "json")) {
        diag_error(_("%s: --format %s: want table or json"), cmd, a->format);
        return HZ_EXIT_USAGE;
    }
    return HZ_EXIT_OK;
}

static int cred_usage_error(const char *cmd, const char *what)
{
    diag_error(_("%s: %s (see huizong %s --help)"), cmd, what, cmd);
    return HZ_EXIT_USAGE;
}

int cmd_admin_enroll_create(cli_globals *g, int argc, char **argv)
{
    static const char *cmd = "admin enroll create";
    Huizong__EnrollCreate ec = HUIZONG__ENROLL_CREATE__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Response *resp;
    cred_args a = {0};
    long secs = 72 * 3600;
    int rc = cred_parse(cmd, "--unit --role --expires", g, argc, argv, &a);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (!a.unit || !a.role)
        return cred_usage_error(cmd, "missing --unit CODE or --role ROLE");
    if (!code_role_valid(a.role))
        return cred_usage_error(cmd, "--role: want community, district or admin");
    if (a.expires && ((secs = cred_parse_duration(a.expires)) < 0 || secs > 30L * 86400))
        return cred_usage_error(cmd, "--expires: want a duration such as 72h or 7d, at most 30d");
    ec.unit_code = (char *)a.unit;
    ec.role = (char *)a.role;
    ec.expires_seconds = (uint32_t)secs;
    req.body_case = HUIZONG__REQUEST__BODY_ENROLL_CREATE;
    req.enroll_create = &ec;
    if ((rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_ENROLL_CREATE, &resp)) != HZ_EXIT_OK)
        return rc;
    printf("%s\n", resp->enroll_create->code);
    fprintf(stderr,
            _("enrollment code for %s (%s), valid until %s; it is shown only this once.\n"
            "On the new machine: huizong enroll --code CODE --ca ca.crt --server HOST:ENROLL_PORT"
            " --out DIR\n"),
            resp->enroll_create->unit_code, resp->enroll_create->role, resp->enroll_create->expires_at);
    huizong__response__free_unpacked(resp, NULL);
    return HZ_EXIT_OK;
}

int cmd_admin_cert_list(cli_globals *g, int argc, char **argv)
{
    Huizong__CertList cl = HUIZONG__CERT_LIST__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Response *resp;
    cred_args a = {0};
    int rc = cred_parse("admin cert list", "--unit --format", g, argc, argv, &a);

    if (rc != HZ_EXIT_OK)
        return rc;
    cl.unit_code = (char *)(a.unit ? a.unit : "");
    req.body_case = HUIZONG__REQUEST__BODY_CERT_LIST;
    req.cert_list = &cl;
    if ((rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_CERT_LIST, &resp)) != HZ_EXIT_OK)
        return rc;
    if (cred_render_certs(stdout, resp->cert_list, a.format && !strcmp(a.format, "json")) != 0) {
        diag_error(_("admin cert list: cannot write the output"));
        rc = HZ_EXIT_INTERNAL;
    }
    huizong__response__free_unpacked(resp, NULL);
    return rc;
}

int cmd_admin_cert_revoke(cli_globals *g, int argc, char **argv)
{
    static const char *cmd = "admin cert revoke";
    Huizong__CertRevoke cr = HUIZONG__CERT_REVOKE__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Response *resp;
    cred_args a = {0};
    int rc = cred_parse(cmd, "--fingerprint --unit --reason", g, argc, argv, &a);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (!a.fingerprint == !a.unit)
        return cred_usage_error(cmd, "give exactly one of --fingerprint FP and --unit CODE");
    cr.fingerprint = (char *)(a.fingerprint ? a.fingerprint : "");
    cr.unit_code = (char *)(a.unit ? a.unit : "");
    cr.reason = (char *)(a.reason ? a.reason : "");
    req.body_case = HUIZONG__REQUEST__BODY_CERT_REVOKE;
    req.cert_revoke = &cr;
    if ((rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_CERT_REVOKE, &resp)) != HZ_EXIT_OK)
        return rc;
    const Huizong__CertRevokeResult *r = resp->cert_revoke;
    for (size_t i = 0; i < r->n_fingerprints; i++)
        printf(_("revoked %s\n"), r->fingerprints[i]);
    if (r->n_fingerprints == 0)
        printf(_("already revoked; nothing changed\n"));
    huizong__response__free_unpacked(resp, NULL);
    return HZ_EXIT_OK;
}

/* --since: a date or time as given, or a duration back from now in UTC. */
static int cred_since(const char *v, char *out, size_t len)
{
    long secs = cred_parse_duration(v);
    time_t t;
    struct tm tm;

    if (secs < 0) {
        snprintf(out, len, "%s", v);
        return 0;
    }
    t = time(NULL) - secs;
    return gmtime_r(&t, &tm) && strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) ? 0 : -1;
}

int cmd_admin_audit(cli_globals *g, int argc, char **argv)
{
    static const char *cmd = "admin audit";
    Huizong__AuditQuery q = HUIZONG__AUDIT_QUERY__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Response *resp;
    cred_args a = {0};
    char since[40] = "", *end = NULL;
    long limit = 0;
    int rc = cred_parse(cmd, "--unit --since --limit --format", g, argc, argv, &a);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (a.limit && ((limit = strtol(a.limit, &end, 10)) < 1 || limit > 10000 || *end))
        return cred_usage_error(cmd, "--limit: want a number from 1 to 10000");
    if (a.since && cred_since(a.since, since, sizeof since) != 0)
        return cred_usage_error(cmd, "--since: want 2026-11-01 or a duration such as 72h");
    q.unit_code = (char *)(a.unit ? a.unit : "");
    q.since = since;
    q.limit = (uint32_t)limit;
    req.body_case = HUIZONG__REQUEST__BODY_AUDIT;
    req.audit = &q;
    if ((rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_AUDIT, &resp)) != HZ_EXIT_OK)
        return rc;
    if (cred_render_audit(stdout, resp->audit, a.format && !strcmp(a.format, "json")) != 0) {
        diag_error(_("admin audit: cannot write the output"));
        rc = HZ_EXIT_INTERNAL;
    }
    huizong__response__free_unpacked(resp, NULL);
    return rc;
}

void cmd_admin_enroll_help(FILE *f)
{
    fputs(_(cred_help_enroll), f);
}

void cmd_admin_cert_help(FILE *f)
{
    fputs(_(cred_help_cert), f);
}

void cmd_admin_audit_help(FILE *f)
{
    fputs(_(cred_help_audit), f);
}
