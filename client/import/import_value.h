/* Values as people type them in a sheet, into what the wire wants. Pure.
 * Each returns 0, or -1 with `want` describing what would have been accepted. */
#ifndef HZ_IMPORT_VALUE_H
#define HZ_IMPORT_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* 2020-04-14, 2020/4/14, 2020.4.14, 2020年4月14日 (an Excel time " 0:00" after
 * it is dropped) into "2020-04-14", a real calendar day. partial: also
 * 2020-06, 2020/6, 2020年6月, 2020, 2020年 (honours). */
int iv_date(const char *s, bool partial, char out[11]);
/* 2020-06, 2020/6, 2020年6月 -> "2020-06"; 2020-Q2, 2020Q2, 2020年第二季度,
 * 2020年2季度 -> "2020-Q2"; 2020, 2020年 -> "2020". */
int iv_period(const char *s, char out[8]);
/* 未报, 不详, 未知: a count the community did not give. */
bool iv_unreported(const char *s);
/* 40, 40人 -> 40; 40余人, 40多人, 40+, 40人以上 -> 40 and *at_least. */
int iv_participants(const char *s, int64_t *n, bool *at_least);
/* 82, 82.5, 1,234, 82篇 (a unit word after the number is dropped). */
int iv_number(const char *s, double *v);
/* Names of the server's taxonomy (import/taxonomy.h) to accept besides the
 * built-in ones; NULL: the built-in names only. The caller keeps t alive. */
void iv_use_taxonomy(const json_t *t);

/* A category code, or a category's Chinese name: the server's taxonomy when
 * given, else a seeded one (sql/002_taxonomy.sql). */
int iv_category(const char *s, const char **code);
/* An indicator code or its Chinese name. */
int iv_indicator(const char *s, const char **code);
/* street|district|city|province|national, or 街道, 区, 市, 省, 国家 (级). */
int iv_level(const char *s, const char **code);
/* true/false/yes/no/1/0/是/否. */
int iv_bool(const char *s, bool *v);
/* Splits a list cell on 、，,；;/ and line breaks; trims; drops empties.
 * Returns the number of items (each malloc'd into items), or -1. */
int iv_list(const char *s, char ***items);

/* What iv_category and iv_indicator know, for messages and docs. */
const char *iv_category_names(void);
const char *iv_indicator_names(void);

/* Trims ASCII and full-width spaces at both ends, in place. */
char *iv_trim(char *s);

#endif
