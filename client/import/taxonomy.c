/* The taxonomy document: built from the server's lists, read back, looked up. */
#include "import/taxonomy.h"

#include <string.h>

static json_t *tax_item(const char *code, const char *name, const char *retired)
{
    return json_pack("{s:s, s:s, s:b}", "code", code ? code : "", "name", name ? name : "",
                     "retired", retired && *retired);
}

json_t *taxonomy_from_lists(const Huizong__CategoryListResult *c,
                            const Huizong__IndicatorListResult *i, time_t fetched)
{
    json_t *cats = json_array(), *inds = json_array();

    for (size_t k = 0; c && k < c->n_categories; k++) {
        const Huizong__CategoryListItem *it = c->categories[k];
        json_t *o = tax_item(it->code, it->name, it->retired_at);
        json_object_set_new(o, "parent", json_string(it->parent_code ? it->parent_code : ""));
        json_object_set_new(o, "section", json_string(it->report_section ? it->report_section : ""));
        json_array_append_new(cats, o);
    }
    for (size_t k = 0; i && k < i->n_indicators; k++) {
        const Huizong__IndicatorListItem *it = i->indicators[k];
        json_t *o = tax_item(it->code, it->name, it->retired_at);
        json_object_set_new(o, "unit", json_string(it->unit ? it->unit : ""));
        json_array_append_new(inds, o);
    }
    return json_pack("{s:I, s:o, s:o}", "fetched", (json_int_t)fetched, "categories", cats,
                     "indicators", inds);
}

json_t *taxonomy_parse(const char *text)
{
    json_t *t = text ? json_loads(text, 0, NULL) : NULL;

    if (t && json_is_array(json_object_get(t, "categories")) &&
        json_is_array(json_object_get(t, "indicators")) &&
        json_is_integer(json_object_get(t, "fetched")))
        return t;
    json_decref(t);
    return NULL;
}

static const json_t *tax_find(const json_t *t, int indicator, const char *key, const char *s)
{
    size_t i;
    json_t *o;

    if (t == NULL || s == NULL)
        return NULL;
    json_array_foreach(json_object_get(t, indicator ? "indicators" : "categories"), i, o)
    {
        const char *v = json_string_value(json_object_get(o, key));
        if (v && strcmp(v, s) == 0)
            return o;
    }
    return NULL;
}

const char *taxonomy_code(const json_t *t, int indicator, const char *s)
{
    const json_t *o = tax_find(t, indicator, "code", s);

    if (o == NULL)
        o = tax_find(t, indicator, "name", s);
    return o ? json_string_value(json_object_get(o, "code")) : NULL;
}

const char *taxonomy_parent(const json_t *t, const char *code)
{
    const json_t *o = tax_find(t, 0, "code", code);
    const char *p = o ? json_string_value(json_object_get(o, "parent")) : NULL;

    return p && *p ? p : NULL;
}

const char *taxonomy_section(const json_t *t, const char *code)
{
    const json_t *o = tax_find(t, 0, "code", code);
    const char *s = o ? json_string_value(json_object_get(o, "section")) : NULL;

    return s && *s ? s : NULL;
}

time_t taxonomy_fetched(const json_t *t)
{
    return (time_t)json_integer_value(json_object_get(t, "fetched"));
}
