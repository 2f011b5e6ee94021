/* huizong admin: certificates (local, no network) and org units (server). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "code.h"
#include "cli/diag.h"
#include "cmd/cmd.h"
#include "net/session.h"
#include "validate.h"
#include "i18n.h"

void cmd_admin_help(FILE *f)
{
    fputs(_("usage:\n"
          "  huizong admin ca init --dir DIR [--name NAME]\n"
          "  huizong admin cert issue --ca DIR --unit CODE --role community|district|admin\n"
          "                           --out DIR [--days N]\n"
          "  huizong admin cert issue --ca DIR --server --hosts localhost,127.0.0.1 --out DIR\n"
          "                           [--days N]\n"
          "  huizong [GLOBAL OPTIONS] admin unit add --code CODE --name NAME\n"
          "                           --level city|district|street|community|grid [--parent CODE]\n"
          "\n"
          "ca init     creates DIR with ca.key and ca.crt (never overwrites a CA).\n"
          "cert issue  signs a client certificate (client.key, client.crt, ca.crt) for a\n"
          "            unit and role, or with --server a server certificate (server.key,\n"
          "            server.crt, ca.crt) naming the hosts; valid --days (default 365).\n"
          "            In this command --ca is the CA folder and --server a flag.\n"
          "unit add    adds an org unit under --parent (none: a root); needs an admin\n"
          "            certificate. Adding the same unit again is not an error.\n"),
          f);
    cmd_usage_lines(f, "admin unit", "admin stats");
}

/* Named options of an admin command; NULL when not given. */
typedef struct {
    const char *dir, *name, *ca, *unit, *role, *out, *days, *hosts;
    const char *code, *level, *parent;
    bool server;
} admin_args;

static int admin_missing(const char *cmd, const char *flag)
{
    diag_error(_("%s: missing %s (see huizong admin --help)"), cmd, flag);
    return HZ_EXIT_USAGE;
}

int cmd_admin_ca_init(cli_globals *g, int argc, char **argv)
{
    admin_args a = {0};
    const cli_opt opts[] = {{"--dir", &a.dir, NULL}, {"--name", &a.name, NULL}};
    char err[512];
    int rc = cli_parse_opts("admin ca init", opts, 2, g, argc, argv, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (a.dir == NULL)
        return admin_missing("admin ca init", "--dir DIR");
    if (cert_ca_init(a.dir, a.name ? a.name : "root", err, sizeof err) < 0) {
        diag_error(_("admin ca init: %s"), err);
        return HZ_EXIT_INTERNAL;
    }
    printf(_("CA written to %s (ca.key, ca.crt)\n"), a.dir);
    return HZ_EXIT_OK;
}

static int admin_days(const char *v, int *days)
{
    char *end;
    long d = v ? strtol(v, &end, 10) : 365;

    if (v && (*end || end == v || d < 1 || d > 36500)) {
        diag_error(_("admin cert issue: --days %s: want a number of days, 1 to 36500"), v);
        return -1;
    }
    *days = (int)d;
    return 0;
}

static int admin_cert_check(const admin_args *a, int *days)
{
    static const char *cmd = "admin cert issue";

    if (a->ca == NULL)
        return admin_missing(cmd, "--ca DIR");
    if (a->out == NULL)
        return admin_missing(cmd, "--out DIR");
    if (a->server && (a->unit || a->role)) {
        diag_error(_("%s: --server takes --hosts, not --unit or --role"), cmd);
        return HZ_EXIT_USAGE;
    }
    if (a->server && a->hosts == NULL)
        return admin_missing(cmd, "--hosts HOST,...");
    if (!a->server && a->hosts) {
        diag_error(_("%s: --hosts needs --server"), cmd);
        return HZ_EXIT_USAGE;
    }
    if (!a->server && a->unit == NULL)
        return admin_missing(cmd, "--unit CODE");
    if (!a->server && !code_role_valid(a->role)) {
        diag_error(_("%s: --role %s: want community, district or admin"), cmd,
                   a->role ? a->role : "missing");
        return HZ_EXIT_USAGE;
    }
    return admin_days(a->days, days) < 0 ? HZ_EXIT_USAGE : HZ_EXIT_OK;
}

int cmd_admin_cert_issue(cli_globals *g, int argc, char **argv)
{
    admin_args a = {0};
    const cli_opt opts[] = {{"--ca", &a.ca, NULL},     {"--unit", &a.unit, NULL},
                            {"--role", &a.role, NULL}, {"--out", &a.out, NULL},
                            {"--days", &a.days, NULL}, {"--server", NULL, &a.server},
                            {"--hosts", &a.hosts, NULL}};
    char err[512];
    int days, rc = cli_parse_opts("admin cert issue", opts, 7, g, argc, argv, NULL, 0);

    if (rc == HZ_EXIT_OK)
        rc = admin_cert_check(&a, &days);
    if (rc != HZ_EXIT_OK)
        return rc;
    if (a.server ? cert_issue_server(a.ca, a.hosts, days, a.out, err, sizeof err)
                 : cert_issue_client(a.ca, a.unit, a.role, days, a.out, err, sizeof err)) {
        diag_error(_("admin cert issue: %s"), err);
        return HZ_EXIT_INTERNAL;
    }
    if (a.server)
        printf(_("server certificate for %s written to %s (server.key, server.crt, ca.crt)\n"),
               a.hosts, a.out);
    else
        printf(_("client certificate for %s (%s) written to %s (client.key, client.crt, ca.crt)\n"),
               a.unit, a.role, a.out);
    return HZ_EXIT_OK;
}

static int admin_unit_check(const admin_args *a)
{
    static const char *cmd = "admin unit add";

    if (a->code == NULL)
        return admin_missing(cmd, "--code CODE");
    if (a->name == NULL)
        return admin_missing(cmd, "--name NAME");
    if (!validate_level(a->level)) {
        diag_error("%s: --level %s: want " VALIDATE_LEVELS, cmd,
                   a->level ? a->level : "missing");
        return HZ_EXIT_USAGE;
    }
    return HZ_EXIT_OK;
}

static int admin_unit_send(cli_globals *g, const admin_args *a)
{
    Huizong__UnitAdd ua = HUIZONG__UNIT_ADD__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Response *resp;
    int rc;

    ua.code = (char *)a->code;
    ua.name = (char *)a->name;
    ua.level = (char *)a->level;
    ua.parent_code = (char *)(a->parent ? a->parent : "");
    req.body_case = HUIZONG__REQUEST__BODY_UNIT_ADD;
    req.unit_add = &ua;
    if ((rc = session_request(g, &req, HUIZONG__RESPONSE__BODY_UNIT_ADD, &resp)) != HZ_EXIT_OK)
        return rc;
    printf(resp->unit_add->created ? _("unit %s added\n") : _("unit %s already present\n"), a->code);
    huizong__response__free_unpacked(resp, NULL);
    return HZ_EXIT_OK;
}

int cmd_admin_unit_add(cli_globals *g, int argc, char **argv)
{
    admin_args a = {0};
    const cli_opt opts[] = {{"--code", &a.code, NULL},
                            {"--name", &a.name, NULL},
                            {"--level", &a.level, NULL},
                            {"--parent", &a.parent, NULL}};
    int rc = cli_parse_opts("admin unit add", opts, 4, g, argc, argv, NULL, 0);

    if (rc == HZ_EXIT_OK)
        rc = admin_unit_check(&a);
    return rc == HZ_EXIT_OK ? admin_unit_send(g, &a) : rc;
}

int cmd_admin_unknown(cli_globals *g, int argc, char **argv)
{
    (void)g, (void)argc, (void)argv;
    diag_error(_("admin: unknown sub-command (see huizong admin --help)"));
    return HZ_EXIT_USAGE;
}
