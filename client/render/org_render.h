/* Renders the admin lists (UnitListResult, CategoryListResult,
 * IndicatorListResult) as an indented table or as JSON. Pure: writes only to
 * the FILE* given. */
#ifndef HZ_ORG_RENDER_H
#define HZ_ORG_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "huizong.pb-c.h"

/* body is one of the three list results. Returns 0, or -1 on allocation or
 * write failure. */
int org_render(FILE *f, const ProtobufCMessage *body, bool json);

#endif
