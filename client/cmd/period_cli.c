/* Helpers of the period commands. */
#include "cmd/period_cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cli/diag.h"
#include "kind.h"
#include "pbjson.h"
#include "i18n.h"

void period_list_free(char **items)
{
    for (size_t i = 0; items && items[i]; i++)
        free(items[i]);
    free(items);
}

char **period_list(const char *opt, const char *s, size_t *n)
{
    size_t cap = 1;
    char **out;

    for (const char *p = s; *p; p++)
        cap += *p == ',';
    out = calloc(cap + 1, sizeof *out);
    *n = 0;
    while (out) {
        size_t len = strcspn(s, ",");
        if (len == 0) {
            diag_error(_("%s: empty item in \"%s\" (want a comma-separated list)"), opt, s);
            period_list_free(out);
            return NULL;
        }
        if ((out[*n] = strndup(s, len)) == NULL) {
            period_list_free(out);
            return NULL;
        }
        (*n)++;
        if (s[len] == '\0')
            break;
        s += len + 1;
    }
    return out;
}

int period_format(const char *cmd, const char *v, bool *json)
{
    if (v == NULL || strcmp(v, "table") == 0) {
        *json = false;
        return 0;
    }
    if (strcmp(v, "json") == 0) {
        *json = true;
        return 0;
    }
    diag_error(_("%s: --format %s: want table or json"), cmd, v);
    return -1;
}

/* ------------------------------------------------------------ record files */

/* The record object of a file and its kind; NULL after reporting. */
static json_t *period_pick_record(const char *path, json_t *root, const char **kind)
{
    json_t *found = NULL;
    size_t count = 0;

    for (kind_id k = KIND_ACTIVITY; k < KIND_COUNT; k++) {
        json_t *a = json_object_get(root, kind_get(k)->array);
        if (a == NULL)
            continue;
        count += json_is_array(a) ? json_array_size(a) : 2;
        if (json_is_array(a) && json_array_size(a) == 1) {
            found = json_array_get(a, 0);
            *kind = kind_get(k)->name;
        }
    }
    if (count == 0) { /* one bare record */
        json_t *k = json_object_get(root, "kind");
        *kind = json_object_get(root, "indicator") ? "indicator_value"
                : (json_object_get(root, "level") || json_object_get(root, "issuer") ||
                   json_object_get(root, "recipient")) ? "honor"
                : "activity";
        if (json_is_string(k)) {
            int named = kind_from_name(json_string_value(k));
            *kind = named < 0 ? NULL : kind_get((kind_id)named)->name; /* static: outlives the JSON */
            if (*kind == NULL) {
                diag_error(_("%s: kind \"%s\": want activity, indicator_value or honor"), path,
                           json_string_value(k));
                return NULL;
            }
        }
        json_object_del(root, "kind");
        return root;
    }
    if (count != 1 || !json_is_object(found)) {
        diag_error(_("%s: holds %zu records; an amend takes exactly one"), path, count);
        return NULL;
    }
    return found;
}

static const ProtobufCMessageDescriptor *period_kind_desc(const char *kind)
{
    int k = kind_from_name(kind);

    return k < 0 ? NULL : kind_get((kind_id)k)->desc;
}

static int period_place(ProtobufCMessage *m, const char *kind, Huizong__Activity **act,
                        Huizong__IndicatorValue **iv, Huizong__Honor **hon)
{
    switch (kind_from_name(kind)) {
    case KIND_ACTIVITY:
        *act = (Huizong__Activity *)m;
        break;
    case KIND_INDICATOR_VALUE:
        *iv = (Huizong__IndicatorValue *)m;
        break;
    default:
        *hon = (Huizong__Honor *)m;
    }
    return 0;
}

int period_load_record(const char *path, const char *record_id, Huizong__Activity **act,
                       Huizong__IndicatorValue **iv, Huizong__Honor **hon)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je), *rec;
    const char *kind = NULL, *rid;
    const ProtobufCMessageDescriptor *d;
    ProtobufCMessage *m = NULL;
    char why[512];

    *act = NULL, *iv = NULL, *hon = NULL;
    if (root == NULL || !json_is_object(root)) {
        if (root != NULL)
            diag_error(_("%s: want a JSON object (one record, or a submit file)"), path);
        else if (je.line < 0)
            diag_error("%s: %s", path, strerror(errno));
        else
            diag_error(_("%s: line %d, column %d: %s"), path, je.line, je.column, je.text);
        json_decref(root);
        return HZ_EXIT_INPUT;
    }
    rec = period_pick_record(path, root, &kind);
    d = rec ? period_kind_desc(kind) : NULL;
    if (rec && (rid = json_string_value(json_object_get(rec, "record_id"))) && *rid &&
             strcasecmp(rid, record_id) != 0)
        diag_error(_("%s: record_id %s is not the record being changed (%s)"), path, rid, record_id);
    else if (rec && json_object_set_new(rec, "record_id", json_string(record_id)) == 0 &&
             (m = pbjson_to_message(d, rec, 0, why, sizeof why)) == NULL)
        diag_error("%s: %s", path, why);
    json_decref(root);
    if (m == NULL)
        return HZ_EXIT_INPUT;
    return period_place(m, kind, act, iv, hon);
}

/* ------------------------------------------------------------------- JSON */

static void period_expand(json_t *j, const char *const *fields)
{
    size_t i;
    json_t *v;
    const char *key;

    if (json_is_array(j)) {
        json_array_foreach(j, i, v) period_expand(v, fields);
        return;
    }
    if (!json_is_object(j))
        return;
    json_object_foreach(j, key, v) {
        for (size_t k = 0; fields && fields[k]; k++) {
            json_t *inner;
            if (strcmp(key, fields[k]) == 0 && json_is_string(v) &&
                (inner = json_loads(json_string_value(v), 0, NULL)) != NULL) {
                json_object_set_new(j, key, inner);
                break;
            }
        }
        period_expand(json_object_get(j, key), fields);
    }
}

int period_print_json(const ProtobufCMessage *m, const char *const *json_fields)
{
    json_t *j = pbjson_from_message(m);
    int rc;

    if (j == NULL)
        return HZ_EXIT_INTERNAL;
    period_expand(j, json_fields);
    rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
    json_decref(j);
    if (rc != 0 || fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
        diag_error(_("cannot write the output"));
        return HZ_EXIT_INTERNAL;
    }
    return HZ_EXIT_OK;
}
