/* Fetching the taxonomy and keeping it beside the spool. */
#include "net/taxonomy_cache.h"

#include <stdlib.h>
#include <time.h>

#include "cli/cli.h"
#include "import/taxonomy.h"
#include "spool/spool.h"
#include "wire.h"
#include "i18n.h"

static Huizong__Response *tax_call(net_conn *conn, Huizong__Request__BodyCase body,
                                   Huizong__Response__BodyCase want, char *err, size_t errlen)
{
    Huizong__CategoryList cl = HUIZONG__CATEGORY_LIST__INIT;
    Huizong__IndicatorList il = HUIZONG__INDICATOR_LIST__INIT;
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Response *resp = NULL;

    req.body_case = body;
    if (body == HUIZONG__REQUEST__BODY_CATEGORY_LIST)
        req.category_list = &cl;
    else
        req.indicator_list = &il;
    if (net_call(conn, &req, &resp, err, errlen) != HZ_EXIT_OK)
        return NULL;
    if (resp->status == HUIZONG__STATUS__OK && resp->body_case == want)
        return resp;
    snprintf(err, errlen, _("taxonomy: %s: %s"), wire_status_name(resp->status),
             resp->message ? resp->message : "");
    huizong__response__free_unpacked(resp, NULL);
    return NULL;
}

json_t *taxonomy_fetch(net_conn *conn, char *err, size_t errlen)
{
    Huizong__Response *c = tax_call(conn, HUIZONG__REQUEST__BODY_CATEGORY_LIST,
                                    HUIZONG__RESPONSE__BODY_CATEGORY_LIST, err, errlen);
    Huizong__Response *i = c ? tax_call(conn, HUIZONG__REQUEST__BODY_INDICATOR_LIST,
                                        HUIZONG__RESPONSE__BODY_INDICATOR_LIST, err, errlen)
                             : NULL;
    json_t *t = c && i ? taxonomy_from_lists(c->category_list, i->indicator_list, time(NULL))
                       : NULL;

    if (c)
        huizong__response__free_unpacked(c, NULL);
    if (i)
        huizong__response__free_unpacked(i, NULL);
    return t;
}

int taxonomy_refresh(const cconf *cfg, json_t **out, char *err, size_t errlen)
{
    net_conn *conn = NULL;
    int rc = net_open(cfg, &conn, err, errlen);
    json_t *t = rc == HZ_EXIT_OK ? taxonomy_fetch(conn, err, errlen) : NULL;
    char *text = t ? json_dumps(t, JSON_INDENT(1)) : NULL;

    net_close(conn);
    if (rc == HZ_EXIT_OK && t == NULL)
        rc = HZ_EXIT_REFUSED;
    if (text && spool_file_replace(cfg->spool, TAXONOMY_FILE, text, err, errlen) < 0)
        rc = HZ_EXIT_INTERNAL;
    free(text);
    if (out && rc == HZ_EXIT_OK)
        *out = t;
    else
        json_decref(t);
    return rc;
}

json_t *taxonomy_get(const cconf *cfg, int force, int *fresh)
{
    char *text = spool_file_read(cfg->spool, TAXONOMY_FILE), err[1024];
    json_t *cached = taxonomy_parse(text), *t = NULL;

    free(text);
    *fresh = 0;
    if (cached && !force && time(NULL) - taxonomy_fetched(cached) < TAXONOMY_MAX_AGE)
        return cached;
    if (taxonomy_refresh(cfg, &t, err, sizeof err) == HZ_EXIT_OK) {
        json_decref(cached);
        *fresh = 1;
        return t;
    }
    return cached; /* offline: what we had, however old, or the built-in names */
}
