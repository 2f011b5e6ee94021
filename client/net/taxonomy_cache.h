/* The taxonomy (import/taxonomy.h) from the server, cached in the spool
 * folder as taxonomy.json: refreshed when older than a day or on demand, so
 * a category or indicator the district adds is known by its name. */
#ifndef HZ_TAXONOMY_CACHE_H
#define HZ_TAXONOMY_CACHE_H

#include <jansson.h>

#include "cli/cconf.h"
#include "net/net.h"

#define TAXONOMY_FILE "taxonomy.json"
#define TAXONOMY_MAX_AGE (24 * 3600)

/* category_list and indicator_list on conn; NULL with err filled on failure. */
json_t *taxonomy_fetch(net_conn *conn, char *err, size_t errlen);

/* Fetches on a connection of its own and replaces the cache. Returns
 * HZ_EXIT_OK with *out (when out is not NULL), else an exit code with err. */
int taxonomy_refresh(const cconf *cfg, json_t **out, char *err, size_t errlen);

/* What an import uses: the cache when it is younger than a day and force is
 * 0, else a fresh copy (cached); the older cache when the server cannot be
 * reached; NULL when there is neither (the built-in names then). *fresh: 1
 * when fetched now. */
json_t *taxonomy_get(const cconf *cfg, int force, int *fresh);

#endif
