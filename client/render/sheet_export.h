/* huizong export as people's tables (render/sheet.h), one per kind of
 * record: 活动, 指标, 荣誉, each with the columns that kind has, filled
 * page by page as the export streams in. */
#ifndef HZ_SHEET_EXPORT_H
#define HZ_SHEET_EXPORT_H

#include "huizong.pb-c.h"
#include "render/sheet.h"

typedef struct {
    sheet_book *b;
    int id[3];          /* table of each kind; -1: not written */
    unsigned long long n;
} sheet_export;

/* 0 when name is a kind's table: activity, indicator, honor. */
int sheet_export_section_known(const char *name);

/* Begins the tables (all, or only `section`). Returns 0 or -1. */
int sheet_export_begin(sheet_export *e, sheet_book *b, const char *section);
int sheet_export_page(sheet_export *e, const Huizong__ExportChunk *c);

#endif
