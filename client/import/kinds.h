/* Record kinds as they appear in FieldError.kind and in submit files. */
#ifndef HZ_KINDS_H
#define HZ_KINDS_H

#include <string.h>

/* The JSON array a record kind lives in, so errors point at the file's own
 * names; NULL for kinds that are not records (errors of the request itself). */
static inline const char *kind_array_name(const char *kind)
{
    if (kind == NULL)
        return NULL;
    if (strcmp(kind, "activity") == 0)
        return "activities";
    if (strcmp(kind, "indicator_value") == 0)
        return "indicator_values";
    if (strcmp(kind, "honor") == 0)
        return "honors";
    return NULL;
}

#endif
