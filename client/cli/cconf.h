/* client.conf and the global options merged into final settings.
 * Keys: server, creds, cert, key, ca, timeout, spool. Flags override the file. */
#ifndef HZ_CCONF_H
#define HZ_CCONF_H

#include <stddef.h>

#include "cli/cli.h"

#define CCONF_DEFAULT_SERVER "127.0.0.1:7443"
#define CCONF_DEFAULT_TIMEOUT_MS 10000ul

/* The settings `huizong config show` lists, in its order. */
enum { CCONF_SERVER, CCONF_CERT, CCONF_KEY, CCONF_CA, CCONF_TIMEOUT, CCONF_SPOOL, CCONF_N };

typedef struct {
    char *server;             /* "HOST:PORT[,HOST:PORT...]" */
    char *cert, *key, *ca;    /* file paths */
    unsigned long timeout_ms;
    char *spool;              /* the spool folder (docs/spool.md) */
    char file[4096];          /* the config file read; empty: none */
    char origin[CCONF_N][64]; /* where each setting came from: "flag --server",
                               * "file, line 3", "default", ... */
} cconf;

/* Reads the config file (--config, else $HUIZONG_CONFIG, else
 * ~/.config/huizong/client.conf; only an explicit --config must exist) and
 * merges it with the flags. Relative paths in the file are taken from the
 * file's folder. Returns HZ_EXIT_OK, or HZ_EXIT_USAGE with err filled
 * (naming the file and line for a bad setting). Free with cconf_free. */
int cconf_resolve(const cli_globals *g, cconf *out, char *err, size_t errlen);
void cconf_free(cconf *c);

#endif
