/* error_info.c - ErrorInfo from an SQL result (see error_info.h). */
#include "api/error_info.h"

#include <stdlib.h>
#include <string.h>

static char *error_info_value(const json_t *v)
{
    return json_is_string(v) ? strdup(json_string_value(v)) : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static int error_info_metadata(Huizong__ErrorInfo *info, const json_t *meta)
{
    const char *key;
    json_t *v;
    size_t n = json_object_size(meta);

    if (n == 0)
        return 0;
    if (!(info->metadata = calloc(n, sizeof(*info->metadata))))
        return -1;
    json_object_foreach((json_t *)meta, key, v) {
        Huizong__ErrorInfo__MetadataEntry *e = malloc(sizeof(*e));

        if (!e)
            return -1;
        huizong__error_info__metadata_entry__init(e);
        info->metadata[info->n_metadata++] = e;
        if (!(e->key = strdup(key)) || !(e->value = error_info_value(v)))
            return -1;
    }
    return 0;
}

Huizong__ErrorInfo *error_info_from_json(const json_t *j)
{
    const char *reason = json_string_value(json_object_get(j, "reason"));
    Huizong__ErrorInfo *info;

    if (!reason || !*reason || !(info = malloc(sizeof(*info))))
        return NULL;
    huizong__error_info__init(info);
    /* The init leaves the strings at the shared empty default; free_unpacked
     * frees only what differs from it, so each is set before any can fail. */
    info->reason = strdup(reason);
    info->domain = strdup("huizong");
    if (!info->reason || !info->domain ||
        error_info_metadata(info, json_object_get(j, "metadata")) != 0) {
        if (!info->reason)
            info->reason = (char *)protobuf_c_empty_string;
        if (!info->domain)
            info->domain = (char *)protobuf_c_empty_string;
        protobuf_c_message_free_unpacked(&info->base, NULL);
        return NULL;
    }
    return info;
}

Huizong__ErrorInfo *error_info_take(json_t *obj)
{
    json_t *j = json_object_get(obj, "info");
    Huizong__ErrorInfo *info;

    if (!j)
        return NULL;
    info = error_info_from_json(j);
    json_object_del(obj, "info");
    return info;
}
