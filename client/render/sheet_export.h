/* huizong export as tables (render/sheet.h), filled page by page as the
 * export streams in: one per kind of record (活动, 指标, 荣誉, each with
 * the columns that kind has), or every record in one table (the CSV that
 * other systems read: kind, record_id, version, community, ...). */
#ifndef HZ_SHEET_EXPORT_H
#define HZ_SHEET_EXPORT_H

#include <stdbool.h>

#include "huizong.pb-c.h"
#include "render/sheet.h"

typedef struct {
    sheet_book *b;
    int id[3];          /* table of each kind; -1: not written */
    int all;            /* the table of every record; -1: not written */
    unsigned long long n;
} sheet_export;

/* 0 when name is a kind's table: activity, indicator, honor. */
int sheet_export_section_known(const char *name);

/* Begins the tables: only `section`'s; else every record in one table when
 * all_in_one, or one table per kind. Returns 0 or -1. */
int sheet_export_begin(sheet_export *e, sheet_book *b, const char *section, bool all_in_one);
int sheet_export_page(sheet_export *e, const Huizong__ExportChunk *c);

#endif
