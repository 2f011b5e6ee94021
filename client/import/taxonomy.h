/* The server's categories and indicators (codes, names, the category tree,
 * retired flags) as the client holds them: fetched with category_list and
 * indicator_list, cached in the spool folder (net/taxonomy_cache.c). A JSON
 * document: {"fetched": UNIX_TIME, "categories": [{code, name, parent,
 * section, retired}], "indicators": [{code, name, unit, retired}]}. Pure. */
#ifndef HZ_TAXONOMY_H
#define HZ_TAXONOMY_H

#include <time.h>

#include <jansson.h>

#include "huizong.pb-c.h"

/* From the two list responses (either may be NULL); fetched: their time. */
json_t *taxonomy_from_lists(const Huizong__CategoryListResult *c,
                            const Huizong__IndicatorListResult *i, time_t fetched);

/* Parses a cache file's text; NULL when it is not a taxonomy. */
json_t *taxonomy_parse(const char *text);

/* The code of the category (indicator 0) or indicator (1) whose code or name
 * is s, or NULL when the taxonomy has none. */
const char *taxonomy_code(const json_t *t, int indicator, const char *s);

/* The parent code of a category, NULL for a top-level or unknown one. */
const char *taxonomy_parent(const json_t *t, const char *code);

/* The report section the district assigned to a category, NULL when none. */
const char *taxonomy_section(const json_t *t, const char *code);

time_t taxonomy_fetched(const json_t *t);

#endif
