/* Native Word charts (DrawingML chart parts) for the .docx report: a bar
 * chart whose values are cached in the part, so Word, WPS and LibreOffice
 * draw it and a person can restyle it in Word. */
#ifndef HZ_DOCX_CHART_H
#define HZ_DOCX_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "report/docx_pkg.h"

typedef struct {
    const char *title;          /* shown above the bars */
    const char *series;         /* the values' name: 活动数 */
    const char *const *labels;  /* one per bar */
    const double *values;
    size_t n;
    bool horizontal;            /* bars from the left (categories), else columns */
    const char *color;          /* RRGGBB */
} docx_chart;

/* Adds word/charts/chartN.xml; returns N (1-based), or -1. */
int docx_chart_add(docx_pkg *pkg, const docx_chart *c);

/* The paragraph holding chart n, cy EMU high, as wide as the text. */
void docx_chart_paragraph(xmlTextWriterPtr w, int n, long cy);

#endif
