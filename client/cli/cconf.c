/* client.conf: reading it and merging it with the flags. */
#include "cli/cconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"
#include "i18n.h"

enum { K_SERVER, K_CREDS, K_CERT, K_KEY, K_CA, K_TIMEOUT, K_SPOOL, K_COUNT };

static const char *const cconf_keys[K_COUNT] = {"server", "creds", "cert", "key", "ca", "timeout",
                                                "spool"};

typedef struct {
    char *v[K_COUNT];
    int line[K_COUNT];    /* where each key was set, for `config show` */
    char path[4096];
    char dir[4096];       /* folder of the file: base of relative paths */
    char own_err[512];    /* our own message, so it names file and line for sure */
} cconf_file;

static void cconf_file_free(cconf_file *cf)
{
    for (int k = 0; k < K_COUNT; k++)
        free(cf->v[k]);
}

static char *cconf_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static int cconf_setting(void *ctx, const char *key, const char *value, int lineno,
                         char *err, size_t errlen)
{
    cconf_file *cf = ctx;
    int k = 0;

    while (k < K_COUNT && strcmp(cconf_keys[k], key) != 0)
        k++;
    if (k == K_COUNT) {
        snprintf(cf->own_err, sizeof cf->own_err, _("%.400s: line %d: unknown key \"%s\" (want server, "
                 "creds, cert, key, ca, timeout or spool)"), cf->path, lineno, key);
        snprintf(err, errlen, "%s", cf->own_err);
        return -1;
    }
    free(cf->v[k]);
    cf->line[k] = lineno;
    bool is_path = k == K_CREDS || k == K_CERT || k == K_KEY || k == K_CA || k == K_SPOOL;
    cf->v[k] = (is_path && value[0] != '/' && cf->dir[0]) ? cconf_join(cf->dir, value)
                                                          : strdup(value);
    if (cf->v[k] == NULL) {
        snprintf(cf->own_err, sizeof cf->own_err, _("%.400s: out of memory"), cf->path);
        snprintf(err, errlen, "%s", cf->own_err);
        return -1;
    }
    return 0;
}

/* Which file to read; *must_exist only for an explicit --config. */
static const char *cconf_path(const cli_globals *g, char *buf, size_t len, bool *must_exist)
{
    const char *env = getenv("HUIZONG_CONFIG"), *home = getenv("HOME");

    *must_exist = g->config != NULL;
    if (g->config)
        return g->config;
    if (env && *env)
        return env;
    if (home == NULL || *home == '\0')
        return NULL;
    snprintf(buf, len, "%s/.config/huizong/client.conf", home);
    return buf;
}

static int cconf_read(const cli_globals *g, cconf_file *cf, char *err, size_t errlen)
{
    char buf[4096];
    bool must_exist;
    struct stat st;
    const char *path = cconf_path(g, buf, sizeof buf, &must_exist);

    if (path == NULL)
        return 0;
    if (stat(path, &st) < 0 && errno == ENOENT && !must_exist)
        return 0;
    snprintf(cf->path, sizeof cf->path, "%s", path);
    snprintf(cf->dir, sizeof cf->dir, "%s", path);
    char *slash = strrchr(cf->dir, '/');
    if (slash)
        *(slash == cf->dir ? slash + 1 : slash) = '\0';
    else
        cf->dir[0] = '\0';
    if (conf_parse_file(path, cconf_setting, cf, err, errlen) < 0) {
        if (cf->own_err[0])
            snprintf(err, errlen, "%s", cf->own_err);
        return -1;
    }
    return 0;
}

/* Where a setting taken from the file came from: "file, line N". */
static void cconf_from_file(const cconf_file *cf, int k, char origin[64])
{
    snprintf(origin, 64, _("file, line %d"), cf->line[k]);
}

/* flag, else the member of the --creds folder, else the file's value, else
 * the member of the creds folder of the file (or the default one). */
static char *cconf_pick_file(const char *flag, const char *flag_name, const char *flag_creds,
                             const cconf_file *cf, int k, const char *creds,
                             const char *creds_origin, const char *member, char origin[64])
{
    if (flag) {
        snprintf(origin, 64, _("flag %s"), flag_name);
        return strdup(flag);
    }
    if (flag_creds) {
        snprintf(origin, 64, _("flag --creds"));
        return cconf_join(flag_creds, member);
    }
    if (cf->v[k]) {
        cconf_from_file(cf, k, origin);
        return strdup(cf->v[k]);
    }
    snprintf(origin, 64, "%s", creds_origin);
    return cconf_join(creds, member);
}

static int cconf_timeout(const char *v, const char *what, unsigned long *ms, char *err,
                         size_t errlen)
{
    if (conf_parse_duration_ms(v, ms) < 0 || *ms == 0 || *ms > 3600000ul) {
        snprintf(err, errlen, _("%s: invalid timeout \"%s\" (want seconds, 1 to 3600)"), what, v);
        return -1;
    }
    return 0;
}

/* $XDG_DATA_HOME/huizong/spool, else ~/.local/share/huizong/spool. */
static char *cconf_default_spool(void)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    char buf[4096];

    if (xdg && *xdg == '/')
        snprintf(buf, sizeof buf, "%s/huizong/spool", xdg);
    else
        snprintf(buf, sizeof buf, "%s/.local/share/huizong/spool", home && *home ? home : ".");
    return strdup(buf);
}

static int cconf_merge_timeout(const cli_globals *g, const cconf_file *cf, cconf *out,
                               char *err, size_t errlen)
{
    out->timeout_ms = CCONF_DEFAULT_TIMEOUT_MS;
    snprintf(out->origin[CCONF_TIMEOUT], 64, _("default"));
    if (g->timeout) {
        snprintf(out->origin[CCONF_TIMEOUT], 64, _("flag --timeout"));
        return cconf_timeout(g->timeout, "--timeout", &out->timeout_ms, err, errlen);
    }
    if (cf->v[K_TIMEOUT]) {
        cconf_from_file(cf, K_TIMEOUT, out->origin[CCONF_TIMEOUT]);
        return cconf_timeout(cf->v[K_TIMEOUT], cf->path, &out->timeout_ms, err, errlen);
    }
    return 0;
}

static void cconf_merge_plain(const cli_globals *g, const cconf_file *cf, cconf *out)
{
    if (g->server) {
        out->server = strdup(g->server);
        snprintf(out->origin[CCONF_SERVER], 64, _("flag --server"));
    } else if (cf->v[K_SERVER]) {
        out->server = strdup(cf->v[K_SERVER]);
        cconf_from_file(cf, K_SERVER, out->origin[CCONF_SERVER]);
    } else {
        out->server = strdup(CCONF_DEFAULT_SERVER);
        snprintf(out->origin[CCONF_SERVER], 64, _("default"));
    }
    if (g->spool) {
        out->spool = strdup(g->spool);
        snprintf(out->origin[CCONF_SPOOL], 64, _("flag --spool"));
    } else if (cf->v[K_SPOOL]) {
        out->spool = strdup(cf->v[K_SPOOL]);
        cconf_from_file(cf, K_SPOOL, out->origin[CCONF_SPOOL]);
    } else {
        out->spool = cconf_default_spool();
        snprintf(out->origin[CCONF_SPOOL], 64, _("default"));
    }
}

static int cconf_merge(const cli_globals *g, const cconf_file *cf, cconf *out, char *err,
                       size_t errlen)
{
    char home_creds[4096], creds_origin[64];
    const char *home = getenv("HOME");
    const char *creds = cf->v[K_CREDS];

    if (creds == NULL) {
        snprintf(home_creds, sizeof home_creds, "%s/.config/huizong", home && *home ? home : ".");
        creds = home_creds;
        snprintf(creds_origin, sizeof creds_origin, _("default"));
    } else {
        snprintf(creds_origin, sizeof creds_origin, _("file, line %d (creds)"), cf->line[K_CREDS]);
    }
    if (cconf_merge_timeout(g, cf, out, err, errlen) < 0)
        return -1;
    cconf_merge_plain(g, cf, out);
    out->cert = cconf_pick_file(g->cert, "--cert", g->creds, cf, K_CERT, creds, creds_origin,
                                "client.crt", out->origin[CCONF_CERT]);
    out->key = cconf_pick_file(g->key, "--key", g->creds, cf, K_KEY, creds, creds_origin,
                               "client.key", out->origin[CCONF_KEY]);
    out->ca = cconf_pick_file(g->ca, "--ca", g->creds, cf, K_CA, creds, creds_origin, "ca.crt",
                              out->origin[CCONF_CA]);
    snprintf(out->file, sizeof out->file, "%s", cf->path);
    if (!out->server || !out->cert || !out->key || !out->ca || !out->spool) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    return 0;
}

int cconf_resolve(const cli_globals *g, cconf *out, char *err, size_t errlen)
{
    cconf_file cf;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&cf, 0, sizeof cf);
    rc = cconf_read(g, &cf, err, errlen) == 0 && cconf_merge(g, &cf, out, err, errlen) == 0
             ? HZ_EXIT_OK : HZ_EXIT_USAGE;
    cconf_file_free(&cf);
    if (rc != HZ_EXIT_OK)
        cconf_free(out);
    return rc;
}

void cconf_free(cconf *c)
{
    free(c->server);
    free(c->cert);
    free(c->key);
    free(c->ca);
    free(c->spool);
    memset(c, 0, sizeof *c);
}
