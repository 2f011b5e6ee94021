/* The .docx package: zip in memory, fixed parts as templates (they hold no
 * data of the report), generated parts through xmlwriter. */
#include "report/docx_pkg.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define CT_OFFICE "application/vnd.openxmlformats-officedocument."

/* The fonts GB/T 9704 names, as Word and WPS on a Chinese PC know them,
 * each with the substitute Windows ships when the GB2312-era font is
 * missing (仿宋_GB2312 -> 仿宋, 楷体_GB2312 -> 楷体, 方正小标宋简体 ->
 * 华文中宋). On other systems fontconfig picks a CJK face (Noto CJK). */
static const char font_table[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:fonts xmlns:w=\"" W_NS "\">"
    "<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/><w:charset w:val=\"86\"/>"
    "<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
    "<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"华文中宋\"/><w:charset w:val=\"86\"/>"
    "<w:family w:val=\"script\"/><w:pitch w:val=\"variable\"/></w:font>"
    "<w:font w:name=\"黑体\"><w:altName w:val=\"SimHei\"/><w:charset w:val=\"86\"/>"
    "<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
    "<w:font w:name=\"楷体_GB2312\"><w:altName w:val=\"楷体\"/><w:charset w:val=\"86\"/>"
    "<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
    "<w:font w:name=\"宋体\"><w:altName w:val=\"SimSun\"/><w:charset w:val=\"86\"/>"
    "<w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>"
    "<w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/>"
    "<w:pitch w:val=\"variable\"/></w:font>"
    "</w:fonts>";

#define RFONTS(ea) "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" " \
                   "w:eastAsia=\"" ea "\" w:cs=\"Times New Roman\" w:hint=\"eastAsia\"/>"
#define STYLE_P(id, name, ppr, rpr) "<w:style w:type=\"paragraph\" w:styleId=\"" id "\">" \
    "<w:name w:val=\"" name "\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>" \
    "<w:qFormat/><w:pPr>" ppr "</w:pPr><w:rPr>" rpr "</w:rPr></w:style>"

/* 三号 仿宋 body with a two-character first-line indent on a 28.95 pt
 * line (22 lines to the text area); 二号 小标宋 title; 一、 in 黑体 and
 * （一） in 楷体, both 三号, indented like the body; tables in 四号. */
static const char styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles xmlns:w=\"" W_NS "\">"
    "<w:docDefaults><w:rPrDefault><w:rPr>" RFONTS("仿宋_GB2312")
    "<w:kern w:val=\"2\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>"
    "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
    "<w:pPrDefault><w:pPr><w:spacing w:line=\"579\" w:lineRule=\"exact\"/><w:jc w:val=\"both\"/>"
    "</w:pPr></w:pPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
    "<w:qFormat/><w:pPr><w:widowControl w:val=\"0\"/>"
    "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/></w:pPr></w:style>"
    STYLE_P("Title", "Title", "<w:keepNext/><w:spacing w:before=\"0\" w:after=\"0\" "
            "w:line=\"700\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
            "<w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/>",
            RFONTS("方正小标宋简体") "<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>")
    STYLE_P("Subtitle", "Subtitle", "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
            "<w:jc w:val=\"center\"/>", RFONTS("楷体_GB2312"))
    STYLE_P("Heading1", "heading 1", "<w:keepNext/><w:outlineLvl w:val=\"0\"/>",
            RFONTS("黑体"))
    STYLE_P("Heading2", "heading 2", "<w:keepNext/><w:outlineLvl w:val=\"1\"/>",
            RFONTS("楷体_GB2312"))
    STYLE_P("TableText", "Table Text", "<w:spacing w:line=\"400\" w:lineRule=\"exact\"/>"
            "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
            "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>")
    STYLE_P("TableHead", "Table Heading", "<w:keepNext/><w:spacing w:line=\"400\" "
            "w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
            "<w:jc w:val=\"center\"/>", RFONTS("黑体") "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>")
    STYLE_P("TableTextSmall", "Table Text Small", "<w:spacing w:line=\"300\" "
            "w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
            "<w:jc w:val=\"center\"/>", "<w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>")
    STYLE_P("TableHeadSmall", "Table Heading Small", "<w:keepNext/><w:spacing w:line=\"300\" "
            "w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
            "<w:jc w:val=\"center\"/>", RFONTS("黑体") "<w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>")
    STYLE_P("Caption", "caption", "<w:keepNext/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
            "<w:jc w:val=\"center\"/>", RFONTS("黑体") "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>")
    STYLE_P("Footer", "footer", "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>"
            "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>",
            "<w:rFonts w:ascii=\"宋体\" w:hAnsi=\"宋体\" w:eastAsia=\"宋体\"/>"
            "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>")
    "<w:style w:type=\"character\" w:styleId=\"ToWrite\"><w:name w:val=\"To Write\"/>"
    "<w:rPr>" RFONTS("楷体_GB2312") "<w:color w:val=\"C00000\"/>"
    "<w:highlight w:val=\"yellow\"/></w:rPr></w:style>"
    "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>"
    "<w:tblPr><w:jc w:val=\"center\"/><w:tblBorders>"
    "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
    "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
    "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
    "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
    "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
    "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
    "</w:tblBorders><w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/>"
    "<w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
    "</w:styles>";

/* Odd and even pages apart, as GB/T 9704 places the number: right on odd
 * pages, left on even ones. Children in the schema's order (CT_Settings),
 * or Word offers to repair the file. */
static const char settings[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:settings xmlns:w=\"" W_NS "\"><w:defaultTabStop w:val=\"420\"/>"
    "<w:evenAndOddHeaders/><w:characterSpacingControl w:val=\"compressPunctuation\"/>"
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
    "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
    "<w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:settings>";

/* "— 1 —": 四号 宋体 digits between two 一字线, a character in from the
 * text area's edge. */
#define FOOTER(jc, ind) \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" \
    "<w:ftr xmlns:w=\"" W_NS "\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/>" \
    "<w:ind " ind "/><w:jc w:val=\"" jc "\"/></w:pPr>" \
    "<w:r><w:t xml:space=\"preserve\">— </w:t></w:r>" \
    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>" \
    "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>" \
    "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r>" \
    "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>" \
    "<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>"

static const char footer_odd[] = FOOTER("right", "w:right=\"280\" w:firstLine=\"0\"");
static const char footer_even[] = FOOTER("left", "w:left=\"280\" w:firstLine=\"0\"");

static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"" REL_NS "\">"
    "<Relationship Id=\"rId1\" Type=\"" R_NS "/officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" R_NS "/extended-properties\" Target=\"docProps/app.xml\"/>"
    "</Relationships>";

static const char app_props[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
    "<Application>huizong</Application></Properties>";

void docx_start(xmlTextWriterPtr w, const char *name)
{
    xmlTextWriterStartElement(w, BAD_CAST name);
}

void docx_end(xmlTextWriterPtr w)
{
    xmlTextWriterEndElement(w);
}

void docx_attr(xmlTextWriterPtr w, const char *name, const char *value)
{
    xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value);
}

void docx_empty(xmlTextWriterPtr w, const char *name, const char *attr, const char *value)
{
    docx_start(w, name);
    if (attr)
        docx_attr(w, attr, value);
    docx_end(w);
}

void docx_chart_rid(int n, char out[24])
{
    snprintf(out, 24, "rIdChart%d", n);
}

int docx_part_begin(docx_part *p)
{
    p->buf = xmlBufferCreate();
    p->w = p->buf ? xmlNewTextWriterMemory(p->buf, 0) : NULL;
    if (p->w == NULL || xmlTextWriterStartDocument(p->w, NULL, "UTF-8", "yes") < 0) {
        if (p->w)
            xmlFreeTextWriter(p->w);
        else if (p->buf)
            xmlBufferFree(p->buf);
        p->w = NULL;
        p->buf = NULL;
        return -1;
    }
    return 0;
}

static int docx_add(docx_pkg *pkg, const char *name, const char *data, size_t len)
{
    char *copy = malloc(len ? len : 1);
    zip_source_t *s;

    if (copy == NULL)
        return -1;
    memcpy(copy, data, len);
    if ((s = zip_source_buffer(pkg->za, copy, len, 1)) == NULL) {
        free(copy);
        return -1;
    }
    if (zip_file_add(pkg->za, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
        zip_source_free(s);
        return -1;
    }
    return 0;
}

int docx_part_add(docx_pkg *pkg, docx_part *p, const char *name)
{
    int rc = xmlTextWriterEndDocument(p->w) < 0 ? -1 : 0;

    xmlFreeTextWriter(p->w); /* flushes into buf */
    if (rc == 0)
        rc = docx_add(pkg, name, (const char *)xmlBufferContent(p->buf),
                      (size_t)xmlBufferLength(p->buf));
    xmlBufferFree(p->buf);
    p->w = NULL;
    p->buf = NULL;
    return rc;
}

int docx_pkg_open(docx_pkg *pkg)
{
    zip_error_t ze;

    memset(pkg, 0, sizeof *pkg);
    zip_error_init(&ze);
    if ((pkg->src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL ||
        (pkg->za = zip_open_from_source(pkg->src, ZIP_TRUNCATE, &ze)) == NULL) {
        zip_source_free(pkg->src);
        pkg->src = NULL;
        zip_error_fini(&ze);
        return -1;
    }
    zip_source_keep(pkg->src); /* its bytes are read after zip_close */
    zip_error_fini(&ze);
    return 0;
}

void docx_pkg_discard(docx_pkg *pkg)
{
    if (pkg->za)
        zip_discard(pkg->za);
    zip_source_free(pkg->src);
    memset(pkg, 0, sizeof *pkg);
}

static int docx_content_types(docx_pkg *pkg)
{
    char buf[4096];
    size_t o = (size_t)snprintf(buf, sizeof buf,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
        "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/word/document.xml\" ContentType=\"" CT_OFFICE
        "wordprocessingml.document.main+xml\"/>"
        "<Override PartName=\"/word/styles.xml\" ContentType=\"" CT_OFFICE
        "wordprocessingml.styles+xml\"/>"
        "<Override PartName=\"/word/settings.xml\" ContentType=\"" CT_OFFICE
        "wordprocessingml.settings+xml\"/>"
        "<Override PartName=\"/word/fontTable.xml\" ContentType=\"" CT_OFFICE
        "wordprocessingml.fontTable+xml\"/>"
        "<Override PartName=\"/word/footer1.xml\" ContentType=\"" CT_OFFICE
        "wordprocessingml.footer+xml\"/>"
        "<Override PartName=\"/word/footer2.xml\" ContentType=\"" CT_OFFICE
        "wordprocessingml.footer+xml\"/>"
        "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-"
        "package.core-properties+xml\"/>"
        "<Override PartName=\"/docProps/app.xml\" ContentType=\"" CT_OFFICE
        "extended-properties+xml\"/>");
    for (int i = 1; i <= pkg->n_charts && o < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o,
                              "<Override PartName=\"/word/charts/chart%d.xml\" ContentType=\""
                              CT_OFFICE "drawingml.chart+xml\"/>", i);
    if (o + 9 >= sizeof buf)
        return -1;
    strcpy(buf + o, "</Types>");
    return docx_add(pkg, "[Content_Types].xml", buf, strlen(buf));
}

static int docx_document_rels(docx_pkg *pkg)
{
    char buf[4096], rid[24];
    size_t o = (size_t)snprintf(buf, sizeof buf,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Relationships xmlns=\"" REL_NS "\">"
        "<Relationship Id=\"rIdStyles\" Type=\"" R_NS "/styles\" Target=\"styles.xml\"/>"
        "<Relationship Id=\"rIdSettings\" Type=\"" R_NS "/settings\" Target=\"settings.xml\"/>"
        "<Relationship Id=\"rIdFonts\" Type=\"" R_NS "/fontTable\" Target=\"fontTable.xml\"/>"
        "<Relationship Id=\"rIdFooterOdd\" Type=\"" R_NS "/footer\" Target=\"footer1.xml\"/>"
        "<Relationship Id=\"rIdFooterEven\" Type=\"" R_NS "/footer\" Target=\"footer2.xml\"/>");
    for (int i = 1; i <= pkg->n_charts && o < sizeof buf; i++) {
        docx_chart_rid(i, rid);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "<Relationship Id=\"%s\" Type=\"" R_NS
                              "/chart\" Target=\"charts/chart%d.xml\"/>", rid, i);
    }
    if (o + 17 >= sizeof buf)
        return -1;
    strcpy(buf + o, "</Relationships>");
    return docx_add(pkg, "word/_rels/document.xml.rels", buf, strlen(buf));
}

static int docx_core_props(docx_pkg *pkg, const char *title)
{
    docx_part p;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (docx_part_begin(&p) < 0)
        return -1;
    xmlTextWriterStartElementNS(p.w, BAD_CAST "cp", BAD_CAST "coreProperties",
        BAD_CAST "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
    docx_attr(p.w, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
    docx_attr(p.w, "xmlns:dcterms", "http://purl.org/dc/terms/");
    docx_attr(p.w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
    xmlTextWriterWriteElement(p.w, BAD_CAST "dc:title", BAD_CAST title);
    xmlTextWriterWriteElement(p.w, BAD_CAST "dc:creator", BAD_CAST "huizong");
    xmlTextWriterWriteElement(p.w, BAD_CAST "dc:language", BAD_CAST "zh-CN");
    docx_start(p.w, "dcterms:created");
    docx_attr(p.w, "xsi:type", "dcterms:W3CDTF");
    xmlTextWriterWriteString(p.w, BAD_CAST stamp);
    docx_end(p.w);
    docx_end(p.w);
    return docx_part_add(pkg, &p, "docProps/core.xml");
}

/* The zip's bytes, from the source kept open past zip_close. */
static int docx_copy_out(zip_source_t *src, FILE *f)
{
    char buf[65536];
    zip_int64_t n;
    int rc = 0;

    if (zip_source_open(src) < 0)
        return -1;
    while ((n = zip_source_read(src, buf, sizeof buf)) > 0)
        if (fwrite(buf, 1, (size_t)n, f) != (size_t)n)
            rc = -1;
    zip_source_close(src);
    return n < 0 ? -1 : rc;
}

int docx_pkg_finish(docx_pkg *pkg, const char *title, FILE *f)
{
    static const struct {
        const char *name, *data;
    } fixed[] = {
        {"_rels/.rels", root_rels},       {"docProps/app.xml", app_props},
        {"word/styles.xml", styles},      {"word/settings.xml", settings},
        {"word/fontTable.xml", font_table}, {"word/footer1.xml", footer_odd},
        {"word/footer2.xml", footer_even},
    };
    int rc = docx_content_types(pkg) < 0 || docx_document_rels(pkg) < 0 ||
             docx_core_props(pkg, title) < 0 ? -1 : 0;

    for (size_t i = 0; rc == 0 && i < sizeof fixed / sizeof fixed[0]; i++)
        rc = docx_add(pkg, fixed[i].name, fixed[i].data, strlen(fixed[i].data));
    if (rc < 0 || zip_close(pkg->za) < 0) {
        docx_pkg_discard(pkg);
        return -1;
    }
    pkg->za = NULL;
    rc = docx_copy_out(pkg->src, f);
    zip_source_free(pkg->src);
    pkg->src = NULL;
    return rc;
}
