/* A WordprocessingML package (.docx): the zip of parts, built in memory
 * with libzip, its fixed parts (content types, relationships, styles in the
 * GB/T 9704-2012 layout, page-number footers, fonts), and the writer each
 * generated part is written with (libxml2's xmlwriter, which escapes). */
#ifndef HZ_DOCX_PKG_H
#define HZ_DOCX_PKG_H

#include <stdio.h>

#include <libxml/xmlwriter.h>
#include <zip.h>

/* The page of GB/T 9704-2012 in twentieths of a point: A4, margins top
 * 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a 156 x 225 mm text area),
 * 22 lines of 三号 (16 pt) to a page. */
#define DOCX_PAGE_W 11906
#define DOCX_PAGE_H 16838
#define DOCX_MARGIN_TOP 2098
#define DOCX_MARGIN_BOTTOM 1984
#define DOCX_MARGIN_LEFT 1587
#define DOCX_MARGIN_RIGHT 1474
#define DOCX_LINE_PITCH 579
/* Width of the text area in EMU (156 mm), for charts. */
#define DOCX_TEXT_EMU 5616000L

#define DOCX_MAX_CHARTS 8

typedef struct {
    zip_source_t *src;
    zip_t *za;
    int n_charts;
} docx_pkg;

/* One XML part being written. */
typedef struct {
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
} docx_part;

int docx_part_begin(docx_part *p);
/* Ends the part and adds it to the package under name; frees p. */
int docx_part_add(docx_pkg *pkg, docx_part *p, const char *name);

int docx_pkg_open(docx_pkg *pkg);
/* Adds the fixed parts (for pkg->n_charts charts, the document's title in
 * its properties), closes the zip and writes its bytes to f. Returns 0 or -1. */
int docx_pkg_finish(docx_pkg *pkg, const char *title, FILE *f);
void docx_pkg_discard(docx_pkg *pkg);

/* The relationship id of chart n (1-based) from the document. */
void docx_chart_rid(int n, char out[24]);

/* xmlwriter shorthands: <name>, </...>, an attribute, and <name attr=val/>. */
void docx_start(xmlTextWriterPtr w, const char *name);
void docx_end(xmlTextWriterPtr w);
void docx_attr(xmlTextWriterPtr w, const char *name, const char *value);
void docx_empty(xmlTextWriterPtr w, const char *name, const char *attr, const char *value);

#endif
