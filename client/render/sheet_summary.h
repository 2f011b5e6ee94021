/* A SummaryResult as people's tables (render/sheet.h): 活动 (activity
 * groups), 活动明细 (event: the activity list, when asked), 指标
 * (indicator totals), 荣誉 (honor), with the columns of the machine CSV
 * (render.h) less its `section` column. */
#ifndef HZ_SHEET_SUMMARY_H
#define HZ_SHEET_SUMMARY_H

#include "huizong.pb-c.h"
#include "render/sheet.h"

/* 0 when name is a section: activity, event, indicator, honor. */
int sheet_summary_section_known(const char *name);

/* Writes every section (or only `section`, NULL: all) into b. `asked` as
 * for render_summary. Returns 0, or -1 (the error is in b). */
int sheet_summary_write(sheet_book *b, const Huizong__SummaryResult *r, unsigned asked,
                        const char *section);

#endif
