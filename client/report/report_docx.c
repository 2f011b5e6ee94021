/* The year-end report as a Word document an office can hand upward and
 * still edit: GB/T 9704-2012 page and type (docx_pkg.c holds the styles),
 * headings 一、 and （一）, tables with a 合计 row, native charts, and the
 * 存在问题 / 下一步打算 sections left, marked, for the office to write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/render.h"
#include "report/docx_chart.h"
#include "report/docx_pkg.h"
#include "report/report.h"

#define TABLE_W 8844       /* the text area, 156 mm, in twips */
#define DOCX_MAX_COLS 16
/* Past this many columns a table is set in 五号 with a narrower name column,
 * so that 10000 and 简讯（篇） still fit a cell. */
#define WIDE_TABLE 5

typedef enum { ROW_HEAD, ROW_BODY, ROW_TOTAL } row_kind;

typedef struct {
    xmlTextWriterPtr w;
    docx_pkg *pkg;
    int chart_rc;
} docx_doc;

/* 1 -> 一, 12 -> 十二, 21 -> 二十一 (a report has fewer than 100 parts). */
static void cn_number(int n, char *buf, size_t len)
{
    static const char *const d[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

    if (n < 10)
        snprintf(buf, len, "%s", d[n]);
    else
        snprintf(buf, len, "%s十%s", n >= 20 ? d[n / 10 % 10] : "", d[n % 10]);
}

static void run(xmlTextWriterPtr w, const char *text, int bold, const char *rstyle)
{
    docx_start(w, "w:r");
    if (bold || rstyle) {
        docx_start(w, "w:rPr");
        if (rstyle)
            docx_empty(w, "w:rStyle", "w:val", rstyle);
        if (bold)
            docx_empty(w, "w:b", NULL, NULL);
        docx_end(w);
    }
    docx_start(w, "w:t");
    docx_attr(w, "xml:space", "preserve");
    xmlTextWriterWriteString(w, BAD_CAST text);
    docx_end(w);
    docx_end(w);
}

static void para_begin(xmlTextWriterPtr w, const char *style, const char *jc)
{
    docx_start(w, "w:p");
    if (style || jc) {
        docx_start(w, "w:pPr");
        if (style)
            docx_empty(w, "w:pStyle", "w:val", style);
        if (jc)
            docx_empty(w, "w:jc", "w:val", jc);
        docx_end(w);
    }
}

static void para(xmlTextWriterPtr w, const char *style, const char *text)
{
    para_begin(w, style, NULL);
    run(w, text, 0, NULL);
    docx_end(w);
}

/* "一、总体情况" (黑体) or "（一）基本情况" (楷体). */
static void heading(xmlTextWriterPtr w, int level, int n, const char *title)
{
    char num[32], text[512];

    cn_number(n, num, sizeof num);
    if (level == 1)
        snprintf(text, sizeof text, "%s、%s", num, title);
    else
        snprintf(text, sizeof text, "（%s）%s", num, title);
    para(w, level == 1 ? "Heading1" : "Heading2", text);
}

/* Width of column c (0: the community's name) of a table of n columns. */
static int col_width(size_t c, size_t n)
{
    int name = n > WIDE_TABLE ? 1500 : 2400;

    if (n <= 1)
        return TABLE_W;
    return c == 0 ? name : (TABLE_W - name) / (int)(n - 1);
}

static void table_begin(xmlTextWriterPtr w, size_t ncols)
{
    char num[16];

    docx_start(w, "w:tbl");
    docx_start(w, "w:tblPr");
    docx_empty(w, "w:tblStyle", "w:val", "TableGrid");
    docx_start(w, "w:tblW");
    docx_attr(w, "w:w", "5000");
    docx_attr(w, "w:type", "pct");
    docx_end(w);
    docx_empty(w, "w:jc", "w:val", "center");
    docx_end(w);
    docx_start(w, "w:tblGrid");
    for (size_t c = 0; c < ncols; c++) {
        snprintf(num, sizeof num, "%d", col_width(c, ncols));
        docx_empty(w, "w:gridCol", "w:w", num);
    }
    docx_end(w);
}

static void table_row(xmlTextWriterPtr w, const char *const *cells, size_t n, row_kind kind)
{
    char num[16];
    int wide = n > WIDE_TABLE;

    docx_start(w, "w:tr");
    if (kind == ROW_HEAD) {
        docx_start(w, "w:trPr");
        docx_empty(w, "w:tblHeader", NULL, NULL); /* repeated on each page */
        docx_end(w);
    }
    for (size_t c = 0; c < n; c++) {
        docx_start(w, "w:tc");
        docx_start(w, "w:tcPr");
        docx_start(w, "w:tcW");
        snprintf(num, sizeof num, "%d", col_width(c, n));
        docx_attr(w, "w:w", num);
        docx_attr(w, "w:type", "dxa");
        docx_end(w);
        docx_empty(w, "w:vAlign", "w:val", "center");
        docx_end(w);
        para_begin(w, kind == ROW_HEAD ? (wide ? "TableHeadSmall" : "TableHead")
                                       : (wide ? "TableTextSmall" : "TableText"), NULL);
        run(w, cells[c], kind == ROW_TOTAL, NULL);
        docx_end(w);
        docx_end(w);
    }
    docx_end(w);
}

/* Tables end with an empty paragraph, or Word joins two in a row. */
static void table_end(xmlTextWriterPtr w)
{
    docx_end(w);
    para_begin(w, "TableText", NULL);
    docx_end(w);
}

static void value_text(const json_t *v, char *buf, size_t len)
{
    if (v)
        render_number(json_number_value(v), buf, len);
    else
        snprintf(buf, len, "%s", REPORT_UNREPORTED);
}

static void overview_table(xmlTextWriterPtr w, const json_t *rep)
{
    const char *head[] = {"社区", "活动数（次）", "参与人数（人次）", "荣誉（项）"};
    char a[32], p[32], h[32], name[600];
    size_t i;
    json_t *c;

    table_begin(w, 4);
    table_row(w, head, 4, ROW_HEAD);
    json_array_foreach(json_object_get(rep, "communities"), i, c)
    {
        snprintf(name, sizeof name, "%s%s", report_str(c, "community_name"),
                 json_is_false(json_object_get(c, "reported")) ? "（" REPORT_UNREPORTED "）" : "");
        snprintf(a, sizeof a, "%lld", report_int(c, "activities"));
        report_count(c, "participants", "participants_at_least", p, sizeof p);
        snprintf(h, sizeof h, "%lld", report_int(c, "honors"));
        const char *row[] = {name, a, p, h};
        table_row(w, row, 4, ROW_BODY);
    }
    const json_t *t = json_object_get(rep, "totals");
    snprintf(a, sizeof a, "%lld", report_int(t, "activities"));
    report_count(t, "participants", "participants_at_least", p, sizeof p);
    snprintf(h, sizeof h, "%zu", json_array_size(json_object_get(rep, "honors")));
    const char *total[] = {"合计", a, p, h};
    table_row(w, total, 4, ROW_TOTAL);
    table_end(w);
}

static void quota_table(xmlTextWriterPtr w, const json_t *quotas)
{
    const char *head[] = {"社区", "应达标期数", "达标", "各指标（最低要求：达标期数/应达标期数）"};
    char per[32], met[32], line[512], all[2048];
    size_t i, k;
    json_t *q, *ind;

    table_begin(w, 4);
    table_row(w, head, 4, ROW_HEAD);
    json_array_foreach(quotas, i, q)
    {
        size_t o = 0;
        all[0] = '\0';
        json_array_foreach(json_object_get(q, "indicators"), k, ind)
        {
            report_quota_text(ind, line, sizeof line);
            o += (size_t)snprintf(all + o, o < sizeof all ? sizeof all - o : 0, "%s%s",
                                  k ? "；" : "", line);
        }
        snprintf(per, sizeof per, "%lld", report_int(q, "periods"));
        snprintf(met, sizeof met, "%lld", report_int(q, "met"));
        const char *row[] = {report_str(q, "community_name"), per, met, all};
        table_row(w, row, 4, ROW_BODY);
    }
    table_end(w);
}

/* A native chart of one count per month or per category, with its caption. */
static void chart(docx_doc *d, const json_t *arr, const char *label_key, const char *value_key,
                  const docx_chart *shape, int fig)
{
    size_t n = json_array_size(arr), i;
    const char **labels = calloc(n ? n : 1, sizeof *labels);
    double *values = calloc(n ? n : 1, sizeof *values);
    char (*months)[16] = calloc(n ? n : 1, sizeof *months), caption[256];
    json_t *o;
    docx_chart c = *shape;

    if (!labels || !values || !months || n == 0) {
        d->chart_rc = n == 0 ? d->chart_rc : -1;
        goto done;
    }
    json_array_foreach(arr, i, o)
    {
        const char *l = report_str(o, label_key);
        if (strcmp(label_key, "month") == 0 && strlen(l) == 7) { /* 2020-04 -> 4月 */
            snprintf(months[i], sizeof months[i], "%d月", atoi(l + 5));
            l = months[i];
        }
        labels[i] = l;
        values[i] = (double)report_int(o, value_key);
    }
    c.labels = labels;
    c.values = values;
    c.n = n;
    int k = docx_chart_add(d->pkg, &c);
    if (k < 0) {
        d->chart_rc = -1;
        goto done;
    }
    /* Both charts and their captions fit one page (225 mm). */
    docx_chart_paragraph(d->w, k, c.horizontal ? (long)(n * 240000 + 600000) : 2600000L);
    snprintf(caption, sizeof caption, "图%d  %s", fig, c.title);
    para(d->w, "Caption", caption);
done:
    free(labels);
    free(values);
    free(months);
}

static void overview(docx_doc *d, const json_t *rep)
{
    xmlTextWriterPtr w = d->w;
    const json_t *t = json_object_get(rep, "totals");
    char cnt[32], text[1024];
    static const docx_chart months = {.title = "各月活动数", .series = "活动数（次）",
                                      .color = "C0392B"};
    static const docx_chart cats = {.title = "各类别参与人数", .series = "参与人数（人次）",
                                    .horizontal = true, .color = "2E86C1"};

    heading(w, 1, 1, "总体情况");
    report_count(t, "participants", "participants_at_least", cnt, sizeof cnt);
    snprintf(text, sizeof text, "%s（%s 至 %s）辖内 %zu 个社区共开展活动 %lld 次，参与 %s 人次，"
             "获得荣誉 %zu 项。", report_str(rep, "unit_name"), report_str(rep, "from"),
             report_str(rep, "to"), json_array_size(json_object_get(rep, "communities")),
             report_int(t, "activities"), cnt, json_array_size(json_object_get(rep, "honors")));
    para(w, NULL, text);
    if (report_unreported(rep) > 0) {
        snprintf(text, sizeof text, "其中 %zu 个社区本期未报任何记录（表中记为“%s”）。",
                 report_unreported(rep), REPORT_UNREPORTED);
        para(w, NULL, text);
    }
    overview_table(w, rep);
    chart(d, json_object_get(rep, "months"), "month", "activities", &months, 1);
    chart(d, json_object_get(rep, "categories"), "category_name", "participants", &cats, 2);
    if (json_array_size(json_object_get(rep, "quotas"))) {
        para(w, NULL, "各社区配额完成情况如下表。");
        quota_table(w, json_object_get(rep, "quotas"));
    }
}

static void section_table(xmlTextWriterPtr w, const json_t *sec)
{
    const json_t *inds = json_object_get(sec, "indicators");
    size_t ncols = 3 + json_array_size(inds), i, k;
    char heads[DOCX_MAX_COLS][160], vals[DOCX_MAX_COLS][48];
    const char *cells[DOCX_MAX_COLS];
    json_t *row, *ind;

    if (json_array_size(json_object_get(sec, "by_community")) == 0)
        return;
    if (ncols > DOCX_MAX_COLS)
        ncols = DOCX_MAX_COLS;
    cells[0] = "社区";
    cells[1] = "活动数（次）";
    cells[2] = "参与人数（人次）";
    json_array_foreach(inds, k, ind) if (k + 3 < ncols)
    {
        snprintf(heads[k], sizeof heads[k], "%s（%s）", report_str(ind, "indicator_name"),
                 report_str(ind, "unit"));
        cells[k + 3] = heads[k];
    }
    table_begin(w, ncols);
    table_row(w, cells, ncols, ROW_HEAD);
    json_array_foreach(json_object_get(sec, "by_community"), i, row)
    {
        cells[0] = report_str(row, "community_name");
        snprintf(vals[1], sizeof vals[1], "%lld", report_int(row, "activities"));
        report_count(row, "participants", "participants_at_least", vals[2], sizeof vals[2]);
        json_array_foreach(inds, k, ind) if (k + 3 < ncols)
            value_text(json_object_get(json_object_get(row, "indicators"),
                                       report_str(ind, "indicator")), vals[k + 3], sizeof vals[k + 3]);
        for (size_t c = 1; c < ncols; c++)
            cells[c] = vals[c];
        table_row(w, cells, ncols, ROW_BODY);
    }
    cells[0] = "合计";
    snprintf(vals[1], sizeof vals[1], "%lld", report_int(sec, "activities"));
    report_count(sec, "participants", "participants_at_least", vals[2], sizeof vals[2]);
    json_array_foreach(inds, k, ind) if (k + 3 < ncols)
        value_text(json_object_get(ind, "value"), vals[k + 3], sizeof vals[k + 3]);
    table_row(w, cells, ncols, ROW_TOTAL);
    table_end(w);
}

static void honor_text(const json_t *h, int n, char *buf, size_t len)
{
    size_t o = (size_t)snprintf(buf, len, "%d. %s，%s：%s", n, report_str(h, "date"),
                                report_str(h, "community_name"), report_str(h, "title"));
    if (*report_str(h, "recipient") && o < len)
        o += (size_t)snprintf(buf + o, len - o, "（%s）", report_str(h, "recipient"));
    if (*report_str(h, "level") && o < len)
        o += (size_t)snprintf(buf + o, len - o, "，%s", report_level_name(report_str(h, "level")));
    if (*report_str(h, "issuer") && o < len)
        snprintf(buf + o, len - o, "，%s", report_str(h, "issuer"));
    if (strlen(buf) + 4 < len)
        strcat(buf, "。");
}

static void section_lists(xmlTextWriterPtr w, const json_t *sec, int *sub)
{
    char text[1200], cnt[32];
    size_t i;
    json_t *h;

    if (json_array_size(json_object_get(sec, "highlights"))) {
        heading(w, 2, (*sub)++, "重点活动");
        json_array_foreach(json_object_get(sec, "highlights"), i, h)
        {
            report_count(h, "participants", "participants_at_least", cnt, sizeof cnt);
            snprintf(text, sizeof text, "%zu. %s，%s：%s（%s 人）。", i + 1, report_str(h, "date"),
                     report_str(h, "community_name"), report_str(h, "title"), cnt);
            para(w, NULL, text);
        }
    }
    if (json_array_size(json_object_get(sec, "honors"))) {
        heading(w, 2, (*sub)++, "所获荣誉");
        json_array_foreach(json_object_get(sec, "honors"), i, h)
        {
            honor_text(h, (int)i + 1, text, sizeof text);
            para(w, NULL, text);
        }
    }
}

static void section(xmlTextWriterPtr w, const json_t *sec, int n)
{
    char cnt[32], text[2048], num[48];
    size_t i, o;
    json_t *ind;
    int sub = 1;

    heading(w, 1, n, report_str(sec, "title"));
    if (report_section_empty(sec)) {
        para(w, NULL, "本期无。");
        return;
    }
    heading(w, 2, sub++, "基本情况");
    report_count(sec, "participants", "participants_at_least", cnt, sizeof cnt);
    o = (size_t)snprintf(text, sizeof text, "开展活动 %lld 次，参与 %s 人次。",
                         report_int(sec, "activities"), cnt);
    json_array_foreach(json_object_get(sec, "indicators"), i, ind)
    {
        render_number(json_number_value(json_object_get(ind, "value")), num, sizeof num);
        if (o < sizeof text)
            o += (size_t)snprintf(text + o, sizeof text - o, "%s：%s %s。",
                                  report_str(ind, "indicator_name"), num, report_str(ind, "unit"));
    }
    para(w, NULL, text);
    if (json_array_size(json_object_get(sec, "by_community"))) {
        heading(w, 2, sub++, "各社区情况");
        section_table(w, sec);
    }
    section_lists(w, sec, &sub);
}

/* A part the office writes itself: a heading and a marked prompt. */
static void to_write(xmlTextWriterPtr w, int n, const char *title, const char *prompt)
{
    heading(w, 1, n, title);
    para_begin(w, NULL, NULL);
    run(w, prompt, 0, "ToWrite");
    docx_end(w);
}

static void signature(xmlTextWriterPtr w, const json_t *rep)
{
    char date[64];
    time_t now = time(NULL);
    struct tm tm;

    localtime_r(&now, &tm);
    snprintf(date, sizeof date, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    para(w, "TableText", "");
    para_begin(w, "Subtitle", "right");
    run(w, report_str(rep, "unit_name"), 0, NULL);
    docx_end(w);
    para_begin(w, "Subtitle", "right");
    run(w, date, 0, NULL);
    docx_end(w);
}

static void sect_pr(xmlTextWriterPtr w)
{
    char v[16];

    docx_start(w, "w:sectPr");
    docx_start(w, "w:footerReference");
    docx_attr(w, "w:type", "default");
    docx_attr(w, "r:id", "rIdFooterOdd");
    docx_end(w);
    docx_start(w, "w:footerReference");
    docx_attr(w, "w:type", "even");
    docx_attr(w, "r:id", "rIdFooterEven");
    docx_end(w);
    docx_start(w, "w:pgSz");
    snprintf(v, sizeof v, "%d", DOCX_PAGE_W);
    docx_attr(w, "w:w", v);
    snprintf(v, sizeof v, "%d", DOCX_PAGE_H);
    docx_attr(w, "w:h", v);
    docx_end(w);
    docx_start(w, "w:pgMar");
    snprintf(v, sizeof v, "%d", DOCX_MARGIN_TOP);
    docx_attr(w, "w:top", v);
    snprintf(v, sizeof v, "%d", DOCX_MARGIN_RIGHT);
    docx_attr(w, "w:right", v);
    snprintf(v, sizeof v, "%d", DOCX_MARGIN_BOTTOM);
    docx_attr(w, "w:bottom", v);
    snprintf(v, sizeof v, "%d", DOCX_MARGIN_LEFT);
    docx_attr(w, "w:left", v);
    docx_attr(w, "w:header", "851");
    /* The number's line sits 7 mm under the text area. */
    docx_attr(w, "w:footer", "1304");
    docx_attr(w, "w:gutter", "0");
    docx_end(w);
    docx_empty(w, "w:pgNumType", "w:start", "1");
    docx_start(w, "w:docGrid");
    docx_attr(w, "w:type", "lines");
    snprintf(v, sizeof v, "%d", DOCX_LINE_PITCH);
    docx_attr(w, "w:linePitch", v);
    docx_end(w);
    docx_end(w);
}

static void span_text(const json_t *rep, char *buf, size_t len)
{
    const char *from = report_str(rep, "from"), *to = report_str(rep, "to");

    if (strlen(from) == 7 && strlen(to) == 7)
        snprintf(buf, len, "（%.4s年%d月至%.4s年%d月）", from, atoi(from + 5), to, atoi(to + 5));
    else
        snprintf(buf, len, "（%s 至 %s）", from, to);
}

static void body(docx_doc *d, const json_t *rep)
{
    xmlTextWriterPtr w = d->w;
    char span[128];
    size_t i;
    json_t *sec, *h;
    int n = 2;

    para(w, "Title", report_str(rep, "title"));
    span_text(rep, span, sizeof span);
    para(w, "Subtitle", span);
    para(w, NULL, ""); /* the blank line between title and text */
    para(w, NULL, "本报告由 huizong 根据各社区报送的记录自动生成。人数带“+”者为下限"
                  "（原始记录为“40余人”等），“未报”表示该社区未报送此项数据。");
    overview(d, rep);
    json_array_foreach(json_object_get(rep, "sections"), i, sec)
    {
        if (report_section_empty(sec) && strcmp(report_str(sec, "key"), "other") == 0)
            continue;
        section(w, sec, n++);
    }
    heading(w, 1, n++, "荣誉汇总");
    if (json_array_size(json_object_get(rep, "honors")) == 0)
        para(w, NULL, "本期无。");
    json_array_foreach(json_object_get(rep, "honors"), i, h)
    {
        char text[1200];
        honor_text(h, (int)i + 1, text, sizeof text);
        para(w, NULL, text);
    }
    to_write(w, n++, "存在问题", "【待填写】请在此写明本年度工作中存在的问题和不足（本节由本单位填写，"
             "系统不生成）。");
    to_write(w, n, "下一步打算", "【待填写】请在此写明下一年度的工作思路和主要措施（本节由本单位填写，"
             "系统不生成）。");
    signature(w, rep);
    sect_pr(w);
}

static int document(docx_pkg *pkg, const json_t *rep)
{
    docx_part p;
    docx_doc d = {.pkg = pkg};

    if (docx_part_begin(&p) < 0)
        return -1;
    d.w = p.w;
    xmlTextWriterStartElementNS(p.w, BAD_CAST "w", BAD_CAST "document",
        BAD_CAST "http://schemas.openxmlformats.org/wordprocessingml/2006/main");
    docx_attr(p.w, "xmlns:r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
    docx_attr(p.w, "xmlns:wp",
              "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing");
    docx_start(p.w, "w:body");
    body(&d, rep);
    docx_end(p.w);
    docx_end(p.w);
    if (docx_part_add(pkg, &p, "word/document.xml") < 0)
        return -1;
    return d.chart_rc;
}

int report_write_docx(FILE *f, const json_t *rep)
{
    docx_pkg pkg;

    if (docx_pkg_open(&pkg) < 0)
        return -1;
    if (document(&pkg, rep) < 0) {
        docx_pkg_discard(&pkg);
        return -1;
    }
    return docx_pkg_finish(&pkg, report_str(rep, "title"), f);
}
