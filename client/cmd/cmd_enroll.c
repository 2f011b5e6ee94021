/* huizong enroll: get a client certificate with a one-time code. The key and
 * CSR are made here; only the CSR and the code are sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cert_csr.h"
#include "code.h"
#include "cli/diag.h"
#include "cmd/cmd.h"
#include "net/net.h"
#include "i18n.h"

void cmd_enroll_help(FILE *f)
{
    fputs(_("usage: huizong enroll --code CODE --out DIR --ca CA.crt [--server HOST:PORT]\n"
          "                      [--unit CODE --role community|district|admin] [--timeout S]\n"
          "\n"
          "Gets this machine its client certificate with a one-time enrollment code from\n"
          "the administrator (huizong admin enroll create). A new ECDSA P-256 key and a\n"
          "certificate request (O=huizong, OU=role, CN=unit) are made here; the request\n"
          "and the code go to the server's enrollment port, which checks the code and\n"
          "signs. The private key never leaves this machine.\n"
          "  --code    the code as given: UNIT/ROLE/XXXX-XXXX-... (the unit and role\n"
          "            in it fill the request; a bare XXXX-... code needs --unit, --role)\n"
          "  --out     folder for client.key (0600), client.crt and ca.crt; made when\n"
          "            missing; refused when it already holds a client.key\n"
          "  --ca      the district CA certificate handed out with the code; the server's\n"
          "            certificate must chain to it\n"
          "  --server  the enrollment port, default 127.0.0.1:7444 (server setting\n"
          "            enroll_listen); not the main port\n"
          "Then use the folder with --creds DIR (or creds = DIR in client.conf).\n"
          "Exit codes: 0 enrolled; 1 usage; 3 server unreachable or not trusted;\n"
          "4 code refused (unknown, used, expired, other unit or role); 5 internal.\n"),
          f);
}

typedef struct {
    const char *code, *out, *unit, *role;
    char unit_buf[64], role_buf[16];
} enroll_args;

static int enroll_parse(cli_globals *g, int argc, char **argv, enroll_args *a)
{
    const cli_opt opts[] = {{"--code", &a->code, NULL},
                            {"--out", &a->out, NULL},
                            {"--unit", &a->unit, NULL},
                            {"--role", &a->role, NULL}};
    int rc = cli_parse_opts("enroll", opts, 4, g, argc, argv, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    const char *missing = !a->code ? "--code CODE" : !a->out ? "--out DIR" : !g->ca ? "--ca CA.crt" : NULL;
    if (missing) {
        diag_error(_("enroll: missing %s (see huizong enroll --help)"), missing);
        return HZ_EXIT_USAGE;
    }
    return HZ_EXIT_OK;
}

/* Unit and role from "UNIT/ROLE/SECRET" unless given as flags. */
static int enroll_identity(enroll_args *a)
{
    const char *s1 = strchr(a->code, '/'), *s2 = s1 ? strchr(s1 + 1, '/') : NULL;

    if (!a->unit && s2 && (size_t)(s1 - a->code) < sizeof a->unit_buf) {
        snprintf(a->unit_buf, sizeof a->unit_buf, "%.*s", (int)(s1 - a->code), a->code);
        a->unit = a->unit_buf;
    }
    if (!a->role && s2 && (size_t)(s2 - s1 - 1) < sizeof a->role_buf) {
        snprintf(a->role_buf, sizeof a->role_buf, "%.*s", (int)(s2 - s1 - 1), s1 + 1);
        a->role = a->role_buf;
    }
    if (!a->unit || !a->role) {
        diag_error(_("enroll: the code names no unit and role; give --unit CODE --role ROLE"));
        return HZ_EXIT_USAGE;
    }
    if (!code_role_valid(a->role)) {
        diag_error(_("enroll: role \"%s\": want community, district or admin"), a->role);
        return HZ_EXIT_USAGE;
    }
    return HZ_EXIT_OK;
}

static unsigned long enroll_timeout(const cli_globals *g)
{
    long s = g->timeout ? strtol(g->timeout, NULL, 10) : 0;
    return s > 0 ? (unsigned long)s * 1000ul : 10000ul;
}

static int enroll_send(const cli_globals *g, const enroll_args *a, const char *csr,
                       Huizong__Response **resp)
{
    Huizong__Enroll en = HUIZONG__ENROLL__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    char err[1024];
    net_conn *n;
    int rc = net_open_enroll(g->server ? g->server : "127.0.0.1:7444", g->ca, enroll_timeout(g), &n,
                             err, sizeof err);

    if (rc != HZ_EXIT_OK) {
        diag_error(_("enroll: %s%s"), err,
                   rc == HZ_EXIT_NET ? " (is --server the enrollment port, enroll_listen?)" : "");
        return rc;
    }
    en.code = (char *)a->code;
    en.csr_pem = (char *)csr;
    req.body_case = HUIZONG__REQUEST__BODY_ENROLL;
    req.enroll = &en;
    rc = net_call(n, &req, resp, err, sizeof err);
    net_close(n);
    if (rc != HZ_EXIT_OK) {
        diag_error(_("enroll: %s"), err);
        return rc;
    }
    if ((rc = diag_response(*resp, NULL)) == HZ_EXIT_OK && (*resp)->body_case != HUIZONG__RESPONSE__BODY_ENROLL) {
        diag_error(_("enroll: server answered OK without a certificate"));
        rc = HZ_EXIT_INTERNAL;
    }
    if (rc != HZ_EXIT_OK) {
        huizong__response__free_unpacked(*resp, NULL);
        *resp = NULL;
    }
    return rc;
}

static int enroll_run(const cli_globals *g, enroll_args *a)
{
    Huizong__Response *resp = NULL;
    EVP_PKEY *key = NULL;
    char *csr = NULL, err[512];
    int rc;

    if (cert_csr_check_out_dir(a->out, err, sizeof err) != 0) {
        diag_error(_("enroll: --out: %s"), err);
        return HZ_EXIT_USAGE;
    }
    if (cert_csr_make(a->unit, a->role, &key, &csr, err, sizeof err) != 0) {
        diag_error(_("enroll: %s"), err);
        return HZ_EXIT_INTERNAL;
    }
    rc = enroll_send(g, a, csr, &resp);
    free(csr);
    if (rc == HZ_EXIT_OK) {
        const Huizong__EnrollResult *r = resp->enroll;
        if (cert_csr_save(a->out, key, r->certificate_pem, r->ca_pem, err, sizeof err) != 0) {
            diag_error(_("enroll: the certificate was issued but cannot be saved: %s"), err);
            rc = HZ_EXIT_INTERNAL;
        } else {
            printf(_("enrolled %s (%s): certificate %s, valid until %s\n"
                   "credentials in %s (client.key, client.crt, ca.crt); use --creds %s\n"),
                   a->unit, a->role, r->fingerprint, r->not_after, a->out, a->out);
        }
        huizong__response__free_unpacked(resp, NULL);
    }
    EVP_PKEY_free(key);
    return rc;
}

int cmd_enroll(cli_globals *g, int argc, char **argv)
{
    enroll_args a = {0};
    int rc;

    if ((rc = enroll_parse(g, argc, argv, &a)) != HZ_EXIT_OK || (rc = enroll_identity(&a)) != HZ_EXIT_OK)
        return rc;
    return enroll_run(g, &a);
}
