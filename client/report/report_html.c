/* The year-end report as one self-contained HTML file: inline CSS, charts
 * drawn as inline SVG (activities per month, participants per category), no
 * script, no external resource, so it opens offline in any browser. */
#include <string.h>

#include "render/render.h"
#include "report/report.h"

#define BAR_H 22
#define CHART_W 720

static void html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static long long max_of(const json_t *arr, const char *key)
{
    long long m = 0;
    size_t i;
    json_t *v;

    json_array_foreach(arr, i, v) if (report_int(v, key) > m) m = report_int(v, key);
    return m;
}

/* Vertical bars, one per month. */
static void svg_months(FILE *f, const json_t *months)
{
    size_t n = json_array_size(months), i;
    long long top = max_of(months, "activities");
    int h = 200, base = 170, slot = n ? (CHART_W - 40) / (int)n : 1;
    json_t *m;

    fprintf(f, "<svg class=\"chart\" id=\"chart-months\" xmlns=\"http://www.w3.org/2000/svg\" "
               "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">"
               "<title>各月活动数</title>\n",
            CHART_W, h, CHART_W, h);
    fprintf(f, "<line x1=\"30\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", base,
            CHART_W - 5, base);
    json_array_foreach(months, i, m)
    {
        long long v = report_int(m, "activities");
        int bh = top ? (int)(v * 140 / top) : 0, x = 35 + (int)i * slot;
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#c0392b\">"
                   "<title>%s: %lld</title></rect>\n",
                x, base - bh, slot - 6, bh, report_str(m, "month"), v);
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%lld</text>\n",
                x + (slot - 6) / 2, base - bh - 4, v);
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>\n",
                x + (slot - 6) / 2, base + 16, report_str(m, "month") + 5);
    }
    fputs("</svg>\n", f);
}

/* Horizontal bars, one per category. */
static void svg_categories(FILE *f, const json_t *cats)
{
    size_t n = json_array_size(cats), i;
    long long top = max_of(cats, "participants");
    int h = (int)n * BAR_H + 20;
    json_t *c;
    char cnt[32];

    fprintf(f, "<svg class=\"chart\" id=\"chart-categories\" xmlns=\"http://www.w3.org/2000/svg\" "
               "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">"
               "<title>各类别参与人数</title>\n",
            CHART_W, h, CHART_W, h);
    json_array_foreach(cats, i, c)
    {
        long long v = report_int(c, "participants");
        int w = top ? (int)(v * 440 / top) : 0, y = 10 + (int)i * BAR_H;
        report_count(c, "participants", "participants_at_least", cnt, sizeof cnt);
        fprintf(f, "<text x=\"170\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">", y + 14);
        html_text(f, report_str(c, "category_name"));
        fprintf(f, "</text><rect x=\"180\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#2e86c1\">"
                   "<title>%s</title></rect><text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>\n",
                y, w, BAR_H - 6, cnt, 186 + w, y + 14, cnt);
    }
    fputs("</svg>\n", f);
}

/* Horizontal bars: share of quota periods met, per community. */
static void svg_quotas(FILE *f, const json_t *quotas)
{
    size_t n = json_array_size(quotas), i;
    int h = (int)n * BAR_H + 20;
    json_t *q;

    fprintf(f, "<svg class=\"chart\" id=\"chart-quotas\" xmlns=\"http://www.w3.org/2000/svg\" "
               "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">"
               "<title>各社区配额完成率</title>\n",
            CHART_W, h, CHART_W, h);
    json_array_foreach(quotas, i, q)
    {
        long long periods = report_int(q, "periods"), met = report_int(q, "met");
        int pct = periods ? (int)((met * 100 + periods / 2) / periods) : 0, y = 10 + (int)i * BAR_H;
        fprintf(f, "<text x=\"170\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">", y + 14);
        html_text(f, report_str(q, "community_name"));
        fprintf(f, "</text><rect x=\"180\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                   "<title>%lld/%lld</title></rect><text x=\"%d\" y=\"%d\" font-size=\"12\">"
                   "%d%%（%lld/%lld）</text>\n",
                y, pct * 4, BAR_H - 6, pct == 100 ? "#27ae60" : "#e67e22", met, periods,
                186 + pct * 4, y + 14, pct, met, periods);
    }
    fputs("</svg>\n", f);
}

/* Per community, each indicator's quota with its minimum. */
static void html_quota_table(FILE *f, const json_t *quotas)
{
    size_t i, k;
    json_t *q, *ind;
    char line[512];

    fputs("<table><tr><th>社区</th><th>各指标（最低要求：达标期数/应达标期数）</th></tr>\n", f);
    json_array_foreach(quotas, i, q)
    {
        fputs("<tr><td>", f);
        html_text(f, report_str(q, "community_name"));
        fputs("</td><td>", f);
        json_array_foreach(json_object_get(q, "indicators"), k, ind)
        {
            report_quota_text(ind, line, sizeof line);
            fputs(k ? "；" : "", f);
            html_text(f, line);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void html_row_count(FILE *f, const json_t *o)
{
    char cnt[32];

    report_count(o, "participants", "participants_at_least", cnt, sizeof cnt);
    fprintf(f, "<td class=\"n\">%lld</td><td class=\"n\">%s</td>", report_int(o, "activities"),
            cnt);
}

static void html_overview(FILE *f, const json_t *rep)
{
    const json_t *t = json_object_get(rep, "totals");
    size_t i;
    json_t *c;
    char cnt[32];

    report_count(t, "participants", "participants_at_least", cnt, sizeof cnt);
    fputs("<h2>总体情况</h2>\n<p>", f);
    html_text(f, report_str(rep, "unit_name"));
    fprintf(f, "（%s 至 %s）辖内 %zu 个社区共开展活动 <b>%lld</b> 次，参与 <b>%s</b> 人次，"
               "获得荣誉 <b>%zu</b> 项。</p>\n",
            report_str(rep, "from"), report_str(rep, "to"),
            json_array_size(json_object_get(rep, "communities")), report_int(t, "activities"), cnt,
            json_array_size(json_object_get(rep, "honors")));
    if (report_unreported(rep) > 0)
        fprintf(f, "<p>其中 %zu 个社区本期未报任何记录（表中记为“%s”）。</p>\n",
                report_unreported(rep), REPORT_UNREPORTED);
    fputs("<table><tr><th>社区</th><th>活动数</th><th>参与人数</th><th>荣誉</th></tr>\n", f);
    json_array_foreach(json_object_get(rep, "communities"), i, c)
    {
        fputs("<tr><td>", f);
        html_text(f, report_str(c, "community_name"));
        if (json_is_false(json_object_get(c, "reported")))
            fprintf(f, "（%s）", REPORT_UNREPORTED);
        fputs("</td>", f);
        html_row_count(f, c);
        fprintf(f, "<td class=\"n\">%lld</td></tr>\n", report_int(c, "honors"));
    }
    fputs("<tr class=\"total\"><td>合计</td>", f);
    html_row_count(f, t);
    fprintf(f, "<td class=\"n\">%zu</td></tr></table>\n",
            json_array_size(json_object_get(rep, "honors")));
    fputs("<h3>各月活动数</h3>\n", f);
    svg_months(f, json_object_get(rep, "months"));
    fputs("<h3>各类别参与人数</h3>\n", f);
    svg_categories(f, json_object_get(rep, "categories"));
    if (json_array_size(json_object_get(rep, "quotas"))) {
        fputs("<h3>各社区配额完成率</h3>\n", f);
        svg_quotas(f, json_object_get(rep, "quotas"));
        html_quota_table(f, json_object_get(rep, "quotas"));
    }
}

static void html_value(FILE *f, const json_t *v)
{
    char num[48];

    render_number(json_number_value(v), num, sizeof num);
    fputs(num, f);
}

static void html_section_table(FILE *f, const json_t *sec)
{
    const json_t *inds = json_object_get(sec, "indicators");
    size_t i, k;
    json_t *row, *ind;

    if (json_array_size(json_object_get(sec, "by_community")) == 0)
        return;
    fputs("<table><tr><th>社区</th><th>活动数</th><th>参与人数</th>", f);
    json_array_foreach(inds, k, ind)
    {
        fputs("<th>", f);
        html_text(f, report_str(ind, "indicator_name"));
        fprintf(f, "（%s）</th>", report_str(ind, "unit"));
    }
    fputs("</tr>\n", f);
    json_array_foreach(json_object_get(sec, "by_community"), i, row)
    {
        fputs("<tr><td>", f);
        html_text(f, report_str(row, "community_name"));
        fputs("</td>", f);
        html_row_count(f, row);
        json_array_foreach(inds, k, ind)
        {
            json_t *v = json_object_get(json_object_get(row, "indicators"),
                                        report_str(ind, "indicator"));
            fputs("<td class=\"n\">", f);
            if (v)
                html_value(f, v);
            else
                fputs(REPORT_UNREPORTED, f);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("<tr class=\"total\"><td>合计</td>", f);
    html_row_count(f, sec);
    json_array_foreach(inds, k, ind)
    {
        fputs("<td class=\"n\">", f);
        html_value(f, json_object_get(ind, "value"));
        fputs("</td>", f);
    }
    fputs("</tr>\n</table>\n", f);
}

static void html_honor(FILE *f, const json_t *h)
{
    fprintf(f, "<li>%s，", report_str(h, "date"));
    html_text(f, report_str(h, "community_name"));
    fputs("：", f);
    html_text(f, report_str(h, "title"));
    if (*report_str(h, "recipient")) {
        fputs("（", f);
        html_text(f, report_str(h, "recipient"));
        fputs("）", f);
    }
    if (*report_str(h, "level"))
        fprintf(f, "，%s", report_level_name(report_str(h, "level")));
    if (*report_str(h, "issuer")) {
        fputs("，", f);
        html_text(f, report_str(h, "issuer"));
    }
    fputs("</li>\n", f);
}

static void html_list(FILE *f, const json_t *sec, const char *key, const char *title)
{
    size_t i;
    json_t *h;
    char cnt[32];

    if (json_array_size(json_object_get(sec, key)) == 0)
        return;
    fprintf(f, "<h4>%s</h4>\n<ul>\n", title);
    json_array_foreach(json_object_get(sec, key), i, h)
    {
        if (strcmp(key, "honors") == 0) {
            html_honor(f, h);
            continue;
        }
        report_count(h, "participants", "participants_at_least", cnt, sizeof cnt);
        fprintf(f, "<li>%s，", report_str(h, "date"));
        html_text(f, report_str(h, "community_name"));
        fputs("：", f);
        html_text(f, report_str(h, "title"));
        fprintf(f, "（%s 人）</li>\n", cnt);
    }
    fputs("</ul>\n", f);
}

static const char *const cn_num[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

static void html_section(FILE *f, const json_t *sec, int n)
{
    char cnt[32];
    size_t i;
    json_t *ind;

    report_count(sec, "participants", "participants_at_least", cnt, sizeof cnt);
    fprintf(f, "<section id=\"sec-%s\"><h2>%s、", report_str(sec, "key"), n < 10 ? cn_num[n] : "");
    html_text(f, report_str(sec, "title"));
    if (report_section_empty(sec)) {
        fputs("</h2>\n<p class=\"none\">本期无。</p>\n</section>\n", f);
        return;
    }
    fprintf(f, "</h2>\n<p>开展活动 %lld 次，参与 %s 人次。", report_int(sec, "activities"), cnt);
    json_array_foreach(json_object_get(sec, "indicators"), i, ind)
    {
        html_text(f, report_str(ind, "indicator_name"));
        fputs("：", f);
        html_value(f, json_object_get(ind, "value"));
        fprintf(f, " %s。", report_str(ind, "unit"));
    }
    fputs("</p>\n", f);
    html_section_table(f, sec);
    html_list(f, sec, "highlights", "重点活动");
    html_list(f, sec, "honors", "荣誉");
    fputs("</section>\n", f);
}

static const char html_style[] =
    /* Named CJK faces first: Windows, macOS, then Linux (Debian: fonts-noto-cjk). */
    "body{font-family:\"Microsoft YaHei\",\"微软雅黑\",\"PingFang SC\",\"Hiragino Sans GB\","
    "\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\",SimHei,sans-serif;"
    "max-width:900px;margin:2em auto;color:#222;line-height:1.6}"
    "h1{text-align:center;color:#a93226}h2{border-bottom:2px solid #c0392b;padding-bottom:.2em}"
    "table{border-collapse:collapse;margin:.8em 0}td,th{border:1px solid #bbb;padding:.25em .7em}"
    "th{background:#f4ecec}td.n{text-align:right}tr.total td{font-weight:bold}p.none{color:#666}"
    ".note{color:#666;font-size:.9em}svg.chart{display:block;margin:.5em 0}";

int report_write_html(FILE *f, const json_t *rep)
{
    size_t i;
    json_t *sec;
    int n = 0;

    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n<title>", f);
    html_text(f, report_str(rep, "title"));
    fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>", html_style);
    html_text(f, report_str(rep, "title"));
    fputs("</h1>\n<p class=\"note\">本报告由 huizong 根据各社区报送的记录自动生成。"
          "人数带“+”者为下限（原始记录为“40余人”等）。</p>\n",
          f);
    html_overview(f, rep);
    json_array_foreach(json_object_get(rep, "sections"), i, sec)
    {
        if (strcmp(report_str(sec, "key"), "other") == 0 && report_int(sec, "activities") == 0 &&
            json_array_size(json_object_get(sec, "indicators")) == 0)
            continue;
        html_section(f, sec, n++);
    }
    fprintf(f, "<section id=\"sec-honors\"><h2>%s、荣誉汇总</h2>\n<ul>\n", n < 10 ? cn_num[n] : "");
    json_array_foreach(json_object_get(rep, "honors"), i, sec) html_honor(f, sec);
    fputs("</ul>", f);
    if (json_array_size(json_object_get(rep, "honors")) == 0)
        fputs("<p class=\"none\">本期无。</p>", f);
    fputs("</section>\n</body></html>\n", f);
    return ferror(f) ? -1 : 0;
}
