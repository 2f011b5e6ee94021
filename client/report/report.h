/* The consolidated year-end report (工作总结): built from two SummaryResults
 * (by community and category with each category's largest activities; by
 * month) into a JSON
 * document, which the Markdown and HTML renderers then print. Pure: no I/O
 * but the FILE* given. Never holds a beneficiary: the summary has none. */
#ifndef HZ_REPORT_H
#define HZ_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "huizong.pb-c.h"

/* One section of the report and what feeds it. Lists end with NULL. */
typedef struct {
    const char *key;
    const char *title;
    const char *const *categories;
    const char *const *indicators;
} report_section;

/* The sections in report order; the last is the catch-all "其他工作" with
 * empty lists (categories nobody mapped go there). n is set to the count. */
const report_section *report_sections(size_t *n);

/* The index of the section a category (indicator 0) or an indicator
 * (indicator 1) feeds; the catch-all's when unmapped. */
size_t report_section_of(const char *code, int indicator);
/* The index of the section whose key is `key` (as CategorySection stores
 * it), or (size_t)-1 when the report has no such section. */
size_t report_section_by_key(const char *key);

/* The report's data (docs/district.md describes every key); NULL when out
 * of memory. r: grouped by community and category, with the largest
 * activities of each category listed; by_month: grouped by month only, for
 * the months (NULL: months counted from r's activity list). */
json_t *report_build(const Huizong__SummaryResult *r, const Huizong__SummaryResult *by_month);

/* The same with the server's category tree (import/taxonomy.h; NULL: none):
 * a category the table does not map reports in its nearest mapped
 * ancestor's section, so a sub-category the district adds under 消防宣传
 * lands in 法制、消防与禁毒宣传, not in 其他工作. */
json_t *report_build_tree(const Huizong__SummaryResult *r, const Huizong__SummaryResult *by_month,
                          const json_t *tax);

/* Adds "quotas": [{community, community_name, periods, met}] (periods under
 * a quota, and how many met it), when the server has quota data. */
void report_add_quotas(json_t *rep, const Huizong__ComplianceResult *c);

/* Every community of the scope (u: unit_list of the report's unit): those
 * without any record are added with zeros and "reported": false, and each
 * section with data lists them in its table. */
void report_add_units(json_t *rep, const Huizong__UnitListResult *u);

/* One indicator's quota line of a community: "简讯 ≥2/月：12/12 达标". */
void report_quota_text(const json_t *quota_indicator, char *buf, size_t len);

/* How many communities of rep sent nothing ("reported": false). */
size_t report_unreported(const json_t *rep);

/* True when a section has no activity, no indicator and no honour: a
 * renderer prints 本期无 for it. */
int report_section_empty(const json_t *sec);

/* What a renderer prints for a value nobody sent. */
#define REPORT_UNREPORTED "未报"

int report_write_md(FILE *f, const json_t *rep);
int report_write_html(FILE *f, const json_t *rep);
/* A Word document (.docx) in the GB/T 9704-2012 layout (report_docx.c). */
int report_write_docx(FILE *f, const json_t *rep);

/* Helpers both renderers share. */
const char *report_str(const json_t *o, const char *key);
long long report_int(const json_t *o, const char *key);
/* "40" or "40+" (a lower bound). */
void report_count(const json_t *o, const char *key, const char *flag, char *buf, size_t len);
const char *report_level_name(const char *level);

#endif
