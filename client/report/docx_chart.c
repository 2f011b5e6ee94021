/* One bar chart as a DrawingML chart part (ECMA-376 Part 1, 21.2). The
 * element order below is the schema's sequence order. */
#include "report/docx_chart.h"

#include <stdio.h>

#define C_NS "http://schemas.openxmlformats.org/drawingml/2006/chart"
#define A_NS "http://schemas.openxmlformats.org/drawingml/2006/main"
#define R_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define WP_NS "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

/* Text properties in 黑体 (sz in hundredths of a point). */
static void chart_text_props(xmlTextWriterPtr w, const char *tag, const char *sz)
{
    docx_start(w, tag);
    docx_empty(w, "a:bodyPr", NULL, NULL);
    docx_empty(w, "a:lstStyle", NULL, NULL);
    docx_start(w, "a:p");
    docx_start(w, "a:pPr");
    docx_start(w, "a:defRPr");
    docx_attr(w, "sz", sz);
    docx_empty(w, "a:latin", "typeface", "黑体");
    docx_empty(w, "a:ea", "typeface", "黑体");
    docx_end(w);
    docx_end(w);
    docx_empty(w, "a:endParaRPr", "lang", "zh-CN");
    docx_end(w);
    docx_end(w);
}

static void chart_title(xmlTextWriterPtr w, const char *title)
{
    docx_start(w, "c:title");
    docx_start(w, "c:tx");
    docx_start(w, "c:rich");
    docx_empty(w, "a:bodyPr", NULL, NULL);
    docx_start(w, "a:p");
    docx_start(w, "a:pPr");
    docx_start(w, "a:defRPr");
    docx_attr(w, "sz", "1400");
    docx_empty(w, "a:ea", "typeface", "黑体");
    docx_end(w);
    docx_end(w);
    docx_start(w, "a:r");
    docx_start(w, "a:rPr");
    docx_attr(w, "lang", "zh-CN");
    docx_attr(w, "sz", "1400");
    docx_empty(w, "a:latin", "typeface", "黑体");
    docx_empty(w, "a:ea", "typeface", "黑体");
    docx_end(w);
    xmlTextWriterWriteElement(w, BAD_CAST "a:t", BAD_CAST title);
    docx_end(w);
    docx_end(w);
    docx_end(w);
    docx_end(w);
    docx_empty(w, "c:overlay", "val", "0");
    docx_end(w);
}

/* A reference into a sheet the chart does not embed, with its cache: the
 * cache is what every reader draws. */
static void chart_data(xmlTextWriterPtr w, const docx_chart *c, int labels)
{
    char ref[64], num[48];

    snprintf(ref, sizeof ref, "Sheet1!$%c$2:$%c$%zu", labels ? 'A' : 'B', labels ? 'A' : 'B',
             c->n + 1);
    docx_start(w, labels ? "c:cat" : "c:val");
    docx_start(w, labels ? "c:strRef" : "c:numRef");
    xmlTextWriterWriteElement(w, BAD_CAST "c:f", BAD_CAST ref);
    docx_start(w, labels ? "c:strCache" : "c:numCache");
    if (!labels)
        xmlTextWriterWriteElement(w, BAD_CAST "c:formatCode", BAD_CAST "General");
    snprintf(num, sizeof num, "%zu", c->n);
    docx_empty(w, "c:ptCount", "val", num);
    for (size_t i = 0; i < c->n; i++) {
        snprintf(num, sizeof num, "%zu", i);
        docx_start(w, "c:pt");
        docx_attr(w, "idx", num);
        if (labels)
            xmlTextWriterWriteElement(w, BAD_CAST "c:v", BAD_CAST c->labels[i]);
        else {
            snprintf(num, sizeof num, "%.15g", c->values[i]);
            xmlTextWriterWriteElement(w, BAD_CAST "c:v", BAD_CAST num);
        }
        docx_end(w);
    }
    docx_end(w);
    docx_end(w);
    docx_end(w);
}

static void chart_series(xmlTextWriterPtr w, const docx_chart *c)
{
    docx_start(w, "c:ser");
    docx_empty(w, "c:idx", "val", "0");
    docx_empty(w, "c:order", "val", "0");
    docx_start(w, "c:tx");
    xmlTextWriterWriteElement(w, BAD_CAST "c:v", BAD_CAST c->series);
    docx_end(w);
    docx_start(w, "c:spPr");
    docx_start(w, "a:solidFill");
    docx_empty(w, "a:srgbClr", "val", c->color);
    docx_end(w);
    docx_end(w);
    docx_empty(w, "c:invertIfNegative", "val", "0");
    docx_start(w, "c:dLbls");
    chart_text_props(w, "c:txPr", "1000");
    docx_empty(w, "c:showLegendKey", "val", "0");
    docx_empty(w, "c:showVal", "val", "1");
    docx_empty(w, "c:showCatName", "val", "0");
    docx_empty(w, "c:showSerName", "val", "0");
    docx_empty(w, "c:showPercent", "val", "0");
    docx_empty(w, "c:showBubbleSize", "val", "0");
    docx_end(w);
    chart_data(w, c, 1);
    chart_data(w, c, 0);
    docx_end(w);
}

/* A tick step of 1, 2 or 5 times a power of ten giving about five ticks,
 * never below 1: the charts count activities and people. */
static double chart_step(const docx_chart *c)
{
    double top = 0, step = 1;

    for (size_t i = 0; i < c->n; i++)
        if (c->values[i] > top)
            top = c->values[i];
    while (step * 5 < top) {
        if (step * 2 * 5 >= top)
            return step * 2;
        if (step * 5 * 5 >= top)
            return step * 5;
        step *= 10;
    }
    return step;
}

static void chart_axis(xmlTextWriterPtr w, int category, int horizontal, double step)
{
    docx_start(w, category ? "c:catAx" : "c:valAx");
    docx_empty(w, "c:axId", "val", category ? "1001" : "1002");
    docx_start(w, "c:scaling");
    /* Horizontal bars list the first category at the top. */
    docx_empty(w, "c:orientation", "val", category && horizontal ? "maxMin" : "minMax");
    docx_end(w);
    docx_empty(w, "c:delete", "val", "0");
    docx_empty(w, "c:axPos", "val", (category != 0) == (horizontal != 0) ? "l" : "b");
    if (!category)
        docx_empty(w, "c:majorGridlines", NULL, NULL);
    docx_start(w, "c:numFmt");
    docx_attr(w, "formatCode", "General");
    docx_attr(w, "sourceLinked", "0");
    docx_end(w);
    docx_empty(w, "c:majorTickMark", "val", "out");
    docx_empty(w, "c:minorTickMark", "val", "none");
    docx_empty(w, "c:tickLblPos", "val", "nextTo");
    chart_text_props(w, "c:txPr", "1000");
    docx_empty(w, "c:crossAx", "val", category ? "1002" : "1001");
    docx_empty(w, "c:crosses", "val", "autoZero");
    if (category) {
        docx_empty(w, "c:auto", "val", "1");
        docx_empty(w, "c:lblAlgn", "val", "ctr");
        docx_empty(w, "c:lblOffset", "val", "100");
    } else {
        char num[32];
        docx_empty(w, "c:crossBetween", "val", "between");
        snprintf(num, sizeof num, "%g", step);
        docx_empty(w, "c:majorUnit", "val", num);
    }
    docx_end(w);
}

int docx_chart_add(docx_pkg *pkg, const docx_chart *c)
{
    docx_part p;
    char name[64];

    if (pkg->n_charts >= DOCX_MAX_CHARTS || docx_part_begin(&p) < 0)
        return -1;
    xmlTextWriterStartElementNS(p.w, BAD_CAST "c", BAD_CAST "chartSpace", BAD_CAST C_NS);
    docx_attr(p.w, "xmlns:a", A_NS);
    docx_attr(p.w, "xmlns:r", R_NS);
    docx_empty(p.w, "c:roundedCorners", "val", "0");
    docx_start(p.w, "c:chart");
    chart_title(p.w, c->title);
    docx_empty(p.w, "c:autoTitleDeleted", "val", "0");
    docx_start(p.w, "c:plotArea");
    docx_empty(p.w, "c:layout", NULL, NULL);
    docx_start(p.w, "c:barChart");
    docx_empty(p.w, "c:barDir", "val", c->horizontal ? "bar" : "col");
    docx_empty(p.w, "c:grouping", "val", "clustered");
    docx_empty(p.w, "c:varyColors", "val", "0");
    chart_series(p.w, c);
    docx_empty(p.w, "c:gapWidth", "val", "60");
    docx_empty(p.w, "c:axId", "val", "1001");
    docx_empty(p.w, "c:axId", "val", "1002");
    docx_end(p.w);
    chart_axis(p.w, 1, c->horizontal, 0);
    chart_axis(p.w, 0, c->horizontal, chart_step(c));
    docx_end(p.w);
    docx_empty(p.w, "c:plotVisOnly", "val", "1");
    docx_empty(p.w, "c:dispBlanksAs", "val", "gap");
    docx_end(p.w);
    docx_end(p.w);
    snprintf(name, sizeof name, "word/charts/chart%d.xml", pkg->n_charts + 1);
    if (docx_part_add(pkg, &p, name) < 0)
        return -1;
    return ++pkg->n_charts;
}

void docx_chart_paragraph(xmlTextWriterPtr w, int n, long cy)
{
    char rid[24], num[32];

    docx_chart_rid(n, rid);
    docx_start(w, "w:p");
    docx_start(w, "w:pPr");
    docx_empty(w, "w:keepNext", NULL, NULL); /* with its caption */
    /* Not the body's exact line height, which would clip the chart. */
    docx_start(w, "w:spacing");
    docx_attr(w, "w:line", "240");
    docx_attr(w, "w:lineRule", "auto");
    docx_end(w);
    docx_start(w, "w:ind");
    docx_attr(w, "w:firstLineChars", "0");
    docx_attr(w, "w:firstLine", "0");
    docx_end(w);
    docx_empty(w, "w:jc", "w:val", "center");
    docx_end(w);
    docx_start(w, "w:r");
    docx_start(w, "w:drawing");
    docx_start(w, "wp:inline");
    docx_start(w, "wp:extent");
    snprintf(num, sizeof num, "%ld", DOCX_TEXT_EMU);
    docx_attr(w, "cx", num);
    snprintf(num, sizeof num, "%ld", cy);
    docx_attr(w, "cy", num);
    docx_end(w);
    docx_start(w, "wp:docPr");
    snprintf(num, sizeof num, "%d", n);
    docx_attr(w, "id", num);
    snprintf(num, sizeof num, "图表 %d", n);
    docx_attr(w, "name", num);
    docx_end(w);
    docx_start(w, "a:graphic");
    docx_attr(w, "xmlns:a", A_NS);
    docx_start(w, "a:graphicData");
    docx_attr(w, "uri", C_NS);
    docx_start(w, "c:chart");
    docx_attr(w, "xmlns:c", C_NS);
    docx_attr(w, "r:id", rid);
    docx_end(w);
    docx_end(w);
    docx_end(w);
    docx_end(w);
    docx_end(w);
    docx_end(w);
    docx_end(w);
}
