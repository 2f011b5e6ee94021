/* Renders a SummaryResult as an aligned table, CSV or JSON. Pure: writes
 * only to the FILE* given. */
#ifndef HZ_RENDER_H
#define HZ_RENDER_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "huizong.pb-c.h"

typedef enum { RENDER_TABLE = 0, RENDER_CSV, RENDER_JSON } render_format;

/* What the request asked for: the grouping decides the table's columns;
 * RENDER_EVENTS shows the activity list section even when it is empty. */
#define RENDER_BY_COMMUNITY 1u
#define RENDER_BY_CATEGORY 2u
#define RENDER_BY_MONTH 4u
#define RENDER_EVENTS 8u
#define RENDER_BY_STREET 16u
#define RENDER_BY_QUARTER 32u
#define RENDER_GROUPS (RENDER_BY_COMMUNITY | RENDER_BY_CATEGORY | RENDER_BY_MONTH | \
                       RENDER_BY_STREET | RENDER_BY_QUARTER)

/* "table", "csv", "json"; returns 0, or -1 when unknown. */
int render_format_from_name(const char *name, render_format *out);

/* `asked` is a mask of RENDER_BY_* and RENDER_EVENTS.
 * Returns 0, or -1 on allocation or write failure. */
int render_summary(FILE *f, const Huizong__SummaryResult *r, unsigned asked, render_format fmt);

/* A number without trailing zeros: 82 (not 82.000000), 2.5, 0.125. */
void render_number(double v, char *buf, size_t len);

/* The span a result covers: "2020 年" for a whole year, else
 * "2020-01 至 2020-06 " (ready to be followed by 汇总). */
void render_span(const Huizong__SummaryResult *r, char *buf, size_t len);

/* Sets to null every participants figure of a SummaryResult, ExportRecord
 * or PullResult in JSON form whose count was not reported (all of the
 * group's records participants_unknown), so JSON never says 0 for it. */
void render_json_unknowns(json_t *j);
/* A participants figure for CSV and sheets: empty when no count of the
 * group's activities was reported (unknown >= activities), else the number
 * of the known ones; never a 0 for an unknown. */
void render_csv_count(char *buf, size_t len, uint64_t n, uint64_t unknown, uint64_t activities);

/* The items joined by sep ("、") in one malloc'd string; NULL when out of memory. */
char *render_join(char *const *items, size_t n, const char *sep);

/* One CSV field, quoted per RFC 4180 when it holds a comma, quote, CR or LF. */
void render_csv_field(FILE *f, const char *s);

#endif
