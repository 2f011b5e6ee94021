/* client.conf: reading it and merging it with the flags. */
#include "cconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"

enum { K_SERVER, K_CREDS, K_CERT, K_KEY, K_CA, K_TIMEOUT, K_COUNT };

static const char *const cconf_keys[K_COUNT] = {"server", "creds", "cert", "key", "ca", "timeout"};

typedef struct {
    char *v[K_COUNT];
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
        snprintf(cf->own_err, sizeof cf->own_err, "%.400s: line %d: unknown key \"%s\" (want server, "
                 "creds, cert, key, ca or timeout)", cf->path, lineno, key);
        snprintf(err, errlen, "%s", cf->own_err);
        return -1;
    }
    free(cf->v[k]);
    bool is_path = k == K_CREDS || k == K_CERT || k == K_KEY || k == K_CA;
    cf->v[k] = (is_path && value[0] != '/' && cf->dir[0]) ? cconf_join(cf->dir, value)
                                                          : strdup(value);
    if (cf->v[k] == NULL) {
        snprintf(cf->own_err, sizeof cf->own_err, "%.400s: out of memory", cf->path);
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

/* flag, else the file's value, else the member of the creds folder. */
static char *cconf_pick_file(const char *flag, const char *flag_creds, const char *conf,
                             const char *conf_creds, const char *member)
{
    if (flag)
        return strdup(flag);
    if (flag_creds)
        return cconf_join(flag_creds, member);
    if (conf)
        return strdup(conf);
    return cconf_join(conf_creds, member);
}

static int cconf_timeout(const char *v, const char *what, unsigned long *ms, char *err,
                         size_t errlen)
{
    if (conf_parse_duration_ms(v, ms) < 0 || *ms == 0 || *ms > 3600000ul) {
        snprintf(err, errlen, "%s: invalid timeout \"%s\" (want seconds, 1 to 3600)", what, v);
        return -1;
    }
    return 0;
}

static int cconf_merge(const cli_globals *g, const cconf_file *cf, cconf *out, char *err,
                       size_t errlen)
{
    char home_creds[4096];
    const char *home = getenv("HOME");
    const char *creds = cf->v[K_CREDS];

    if (creds == NULL) {
        snprintf(home_creds, sizeof home_creds, "%s/.config/huizong", home && *home ? home : ".");
        creds = home_creds;
    }
    out->timeout_ms = CCONF_DEFAULT_TIMEOUT_MS;
    if (g->timeout) {
        if (cconf_timeout(g->timeout, "--timeout", &out->timeout_ms, err, errlen) < 0)
            return -1;
    } else if (cf->v[K_TIMEOUT] &&
               cconf_timeout(cf->v[K_TIMEOUT], cf->path, &out->timeout_ms, err, errlen) < 0) {
        return -1;
    }
    out->server = strdup(g->server ? g->server
                         : cf->v[K_SERVER] ? cf->v[K_SERVER] : CCONF_DEFAULT_SERVER);
    out->cert = cconf_pick_file(g->cert, g->creds, cf->v[K_CERT], creds, "client.crt");
    out->key = cconf_pick_file(g->key, g->creds, cf->v[K_KEY], creds, "client.key");
    out->ca = cconf_pick_file(g->ca, g->creds, cf->v[K_CA], creds, "ca.crt");
    if (!out->server || !out->cert || !out->key || !out->ca) {
        snprintf(err, errlen, "out of memory");
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
    memset(c, 0, sizeof *c);
}
