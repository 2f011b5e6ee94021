/* Writers of huizong export: JSON, DHIS2 dataValueSet JSON, IHE ADX XML
 * (CSV and xlsx are people's tables: render/sheet_export.h). Each writes one page of records at a time and keeps only what it
 * needs across pages (the ADX writer: the open group's key). Pure: writes
 * only to the FILE* given. */
#ifndef HZ_EXPORT_H
#define HZ_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "huizong.pb-c.h"

typedef enum { EXPORT_JSON, EXPORT_DHIS2, EXPORT_ADX } export_format;

typedef struct {
    export_format fmt;
    FILE *f;
    bool indicators_only;    /* the format carries indicator values only */
    unsigned long long n;    /* records written */
    char group[160];         /* ADX: orgUnit and period of the open group */
} export_writer;

/* Returns 0, or -1 for an unknown format name. */
int export_writer_init(export_writer *w, const char *format, FILE *f);
void export_write_begin(export_writer *w);
int export_write_page(export_writer *w, const Huizong__ExportChunk *c);
void export_write_end(export_writer *w);

/* "2020-06" -> "202006", "2020-Q2" -> "2020Q2", "2020" -> "2020"; and the
 * ADX form "2020-06-01/P1M", "2020-04-01/P3M", "2020-01-01/P1Y". Return 0,
 * or -1 for a period of no known form. */
int export_period_dhis2(const char *period, char *buf, size_t len);
int export_period_adx(const char *period, char *buf, size_t len);

#endif
