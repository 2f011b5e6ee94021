/* A sheet's rows against the records the server holds. */
#include "import/import_held.h"

#include <stdio.h>
#include <string.h>

int held_init(held_index *h)
{
    h->by_id = json_object();
    h->old = json_object();
    h->by_key = json_object();
    if (h->by_id && h->old && h->by_key)
        return 0;
    held_free(h);
    return -1;
}

void held_free(held_index *h)
{
    json_decref(h->by_id);
    json_decref(h->old);
    json_decref(h->by_key);
    h->by_id = h->old = h->by_key = NULL;
}

static const char *held_str(const json_t *rec, const char *key)
{
    const char *s = json_string_value(json_object_get(rec, key));
    return s ? s : "";
}

int held_key(const char *kind, const json_t *rec, char *buf, size_t len)
{
    int n;

    if (strcmp(kind, "indicator_value") == 0)
        n = snprintf(buf, len, "%s|%s|%s|%s", kind, held_str(rec, "unit_code"),
                     held_str(rec, "indicator"), held_str(rec, "period"));
    else
        n = snprintf(buf, len, "%s|%s|%s|%s|%s", kind, held_str(rec, "unit_code"),
                     held_str(rec, "date"), held_str(rec, "category"), held_str(rec, "title"));
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

int held_add(held_index *h, const Huizong__RecordListResult *r)
{
    char key[2048];

    for (size_t i = 0; i < r->n_records; i++) {
        const Huizong__RecordItem *it = r->records[i];
        json_t *text = json_string(it->content), *c;

        if (text == NULL)
            return -1;
        if (!it->current) {
            json_t *olds = json_object_get(h->old, it->record_id);
            if (olds == NULL && json_object_set_new(h->old, it->record_id, olds = json_array()) < 0)
                return -1;
            if (json_array_append_new(olds, text) < 0)
                return -1;
            continue;
        }
        if (json_object_set_new(h->by_id, it->record_id, text) < 0)
            return -1;
        if (*it->retracted_at || (c = json_loads(it->content, 0, NULL)) == NULL)
            continue;
        int bad = held_key(it->kind, c, key, sizeof key);
        json_decref(c);
        if (bad < 0)
            continue;
        json_t *ids = json_object_get(h->by_key, key);
        if (ids == NULL && json_object_set_new(h->by_key, key, ids = json_array()) < 0)
            return -1;
        if (json_array_append_new(ids, json_string(it->record_id)) < 0)
            return -1;
    }
    return 0;
}

static bool held_is_default(const json_t *v)
{
    return json_is_null(v) || json_is_false(v) ||
           (json_is_string(v) && *json_string_value(v) == '\0') ||
           (json_is_number(v) && json_number_value(v) == 0) ||
           (json_is_array(v) && json_array_size(v) == 0) ||
           (json_is_object(v) && json_object_size(v) == 0);
}

/* A copy without record_id and defaults, every number a real. */
static json_t *held_canonical(const json_t *v, int top)
{
    const char *k;
    json_t *x, *out;
    size_t i;

    if (json_is_number(v))
        return json_real(json_number_value(v));
    if (json_is_array(v)) {
        out = json_array();
        json_array_foreach(v, i, x) json_array_append_new(out, held_canonical(x, 0));
        return out;
    }
    if (!json_is_object(v))
        return json_deep_copy(v);
    out = json_object();
    json_object_foreach((json_t *)v, k, x) {
        if (held_is_default(x) || (top && strcmp(k, "record_id") == 0))
            continue;
        json_object_set_new(out, k, held_canonical(x, 0));
    }
    return out;
}

json_t *held_content(const held_index *h, const char *record_id)
{
    const char *text = json_string_value(json_object_get(h->by_id, record_id));

    return text ? json_loads(text, 0, NULL) : NULL;
}

/* Whether the content text is the same content as rec. */
static bool held_text_same(const json_t *text, const json_t *rec)
{
    json_t *c = json_loads(json_string_value(text), 0, NULL);
    bool same = c && held_same_content(c, rec);

    json_decref(c);
    return same;
}

bool held_same_content(const json_t *a, const json_t *b)
{
    json_t *x = held_canonical(a, 1), *y = held_canonical(b, 1);
    bool same = x && y && json_equal(x, y);

    json_decref(x);
    json_decref(y);
    return same;
}

held_verdict held_classify(const held_index *h, const char *kind, const json_t *rec,
                           bool explicit_id, const char **other)
{
    const json_t *held = json_object_get(h->by_id, held_str(rec, "record_id"));
    char key[2048];

    *other = NULL;
    if (held) {
        if (held_text_same(held, rec))
            return HELD_UNCHANGED;
        if (!explicit_id)
            return HELD_SUPERSEDED; /* the content its id derives from was amended since */
        size_t i;
        json_t *o;
        json_array_foreach(json_object_get(h->old, held_str(rec, "record_id")), i, o)
            if (held_text_same(o, rec))
                return HELD_SUPERSEDED;
        return HELD_AMEND;
    }
    if (explicit_id || held_key(kind, rec, key, sizeof key) < 0)
        return HELD_NEW;
    json_t *ids = json_object_get(h->by_key, key);
    if (json_array_size(ids) != 1)
        return HELD_NEW;
    *other = json_string_value(json_array_get(ids, 0));
    return HELD_PROBABLE;
}
