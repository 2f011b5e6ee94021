/* The year-end report as Markdown, in Chinese, sections as the seed reports
 * have them: totals, a per-community table, highlights, honours. */
#include <string.h>

#include "render/render.h"
#include "report/report.h"

static const char *const cn_num[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

/* Table cells must not break the Markdown table. */
static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

static void md_value(FILE *f, const json_t *v)
{
    char num[48];

    render_number(json_number_value(v), num, sizeof num);
    fputs(num, f);
}

static void md_overview(FILE *f, const json_t *rep)
{
    const json_t *t = json_object_get(rep, "totals");
    const json_t *comms = json_object_get(rep, "communities");
    char cnt[32];
    size_t i;
    json_t *c;

    report_count(t, "participants", "participants_at_least", cnt, sizeof cnt);
    fprintf(f, "## 总体情况\n\n%s（%s 至 %s）辖内 %zu 个社区共开展活动 %lld 次，参与 %s 人次，"
               "获得荣誉 %zu 项。\n\n",
            report_str(rep, "unit_name"), report_str(rep, "from"), report_str(rep, "to"),
            json_array_size(comms), report_int(t, "activities"), cnt,
            json_array_size(json_object_get(rep, "honors")));
    if (report_unreported(rep) > 0)
        fprintf(f, "其中 %zu 个社区本期未报任何记录（表中记为“%s”）。\n\n", report_unreported(rep),
                REPORT_UNREPORTED);
    fputs("| 社区 | 活动数 | 参与人数 | 荣誉 |\n|---|---:|---:|---:|\n", f);
    json_array_foreach(comms, i, c)
    {
        report_count(c, "participants", "participants_at_least", cnt, sizeof cnt);
        fputs("| ", f);
        md_cell(f, report_str(c, "community_name"));
        if (json_is_false(json_object_get(c, "reported")))
            fprintf(f, "（%s）", REPORT_UNREPORTED);
        fprintf(f, " | %lld | %s | %lld |\n", report_int(c, "activities"), cnt,
                report_int(c, "honors"));
    }
    report_count(t, "participants", "participants_at_least", cnt, sizeof cnt);
    fprintf(f, "| **合计** | **%lld** | **%s** | **%zu** |\n\n", report_int(t, "activities"), cnt,
            json_array_size(json_object_get(rep, "honors")));
    if (json_array_size(json_object_get(rep, "quotas")) == 0)
        return;
    fputs("配额完成情况：\n\n| 社区 | 应达标期数 | 达标 | 各指标（最低要求：达标期数/应达标期数） |\n"
          "|---|---:|---:|---|\n", f);
    json_array_foreach(json_object_get(rep, "quotas"), i, c)
    {
        size_t k;
        json_t *ind;
        char line[512];

        fputs("| ", f);
        md_cell(f, report_str(c, "community_name"));
        fprintf(f, " | %lld | %lld | ", report_int(c, "periods"), report_int(c, "met"));
        json_array_foreach(json_object_get(c, "indicators"), k, ind)
        {
            report_quota_text(ind, line, sizeof line);
            fputs(k ? "；" : "", f);
            md_cell(f, line);
        }
        fputs(" |\n", f);
    }
    fputc('\n', f);
}

static void md_section_table(FILE *f, const json_t *sec)
{
    const json_t *inds = json_object_get(sec, "indicators");
    size_t i, k;
    json_t *row, *ind;
    char cnt[32];

    if (json_array_size(json_object_get(sec, "by_community")) == 0)
        return;
    fputs("| 社区 | 活动数 | 参与人数 |", f);
    json_array_foreach(inds, k, ind) fprintf(f, " %s（%s） |", report_str(ind, "indicator_name"),
                                             report_str(ind, "unit"));
    fputs("\n|---|---:|---:|", f);
    json_array_foreach(inds, k, ind) fputs("---:|", f);
    fputc('\n', f);
    json_array_foreach(json_object_get(sec, "by_community"), i, row)
    {
        report_count(row, "participants", "participants_at_least", cnt, sizeof cnt);
        fputs("| ", f);
        md_cell(f, report_str(row, "community_name"));
        fprintf(f, " | %lld | %s |", report_int(row, "activities"), cnt);
        json_array_foreach(inds, k, ind)
        {
            json_t *v = json_object_get(json_object_get(row, "indicators"),
                                        report_str(ind, "indicator"));
            fputc(' ', f);
            if (v)
                md_value(f, v);
            else
                fputs(REPORT_UNREPORTED, f);
            fputs(" |", f);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
}

static void md_highlights(FILE *f, const json_t *sec)
{
    size_t i;
    json_t *h;
    char cnt[32];

    if (json_array_size(json_object_get(sec, "highlights")) == 0)
        return;
    fputs("**重点活动**\n\n", f);
    json_array_foreach(json_object_get(sec, "highlights"), i, h)
    {
        report_count(h, "participants", "participants_at_least", cnt, sizeof cnt);
        fprintf(f, "- %s，%s：", report_str(h, "date"), report_str(h, "community_name"));
        md_cell(f, report_str(h, "title"));
        fprintf(f, "（%s 人）\n", cnt);
    }
    fputc('\n', f);
}

static void md_honor(FILE *f, const json_t *h)
{
    fprintf(f, "- %s，%s：", report_str(h, "date"), report_str(h, "community_name"));
    md_cell(f, report_str(h, "title"));
    if (*report_str(h, "recipient"))
        fprintf(f, "（%s）", report_str(h, "recipient"));
    if (*report_str(h, "level"))
        fprintf(f, "，%s", report_level_name(report_str(h, "level")));
    if (*report_str(h, "issuer"))
        fprintf(f, "，%s", report_str(h, "issuer"));
    fputc('\n', f);
}

static void md_section(FILE *f, const json_t *sec, int n)
{
    char cnt[32];
    size_t i;
    json_t *ind, *h;

    report_count(sec, "participants", "participants_at_least", cnt, sizeof cnt);
    fprintf(f, "## %s、%s\n\n开展活动 %lld 次，参与 %s 人次。", n < 10 ? cn_num[n] : "",
            report_str(sec, "title"), report_int(sec, "activities"), cnt);
    json_array_foreach(json_object_get(sec, "indicators"), i, ind)
    {
        fprintf(f, "%s：", report_str(ind, "indicator_name"));
        md_value(f, json_object_get(ind, "value"));
        fprintf(f, " %s。", report_str(ind, "unit"));
    }
    fputs("\n\n", f);
    md_section_table(f, sec);
    md_highlights(f, sec);
    if (json_array_size(json_object_get(sec, "honors"))) {
        fputs("**荣誉**\n\n", f);
        json_array_foreach(json_object_get(sec, "honors"), i, h) md_honor(f, h);
        fputc('\n', f);
    }
}

int report_write_md(FILE *f, const json_t *rep)
{
    size_t i;
    json_t *sec, *h;
    int n = 0;

    fprintf(f, "# %s\n\n", report_str(rep, "title"));
    fputs("> 本报告由 huizong 根据各社区报送的记录自动生成。人数带“+”者为下限"
          "（原始记录为“40余人”等）。\n\n",
          f);
    md_overview(f, rep);
    json_array_foreach(json_object_get(rep, "sections"), i, sec)
    {
        if (report_section_empty(sec) && strcmp(report_str(sec, "key"), "other") == 0)
            continue;
        md_section(f, sec, n++);
    }
    fprintf(f, "## %s、荣誉汇总\n\n", n < 10 ? cn_num[n] : "");
    if (json_array_size(json_object_get(rep, "honors")) == 0)
        fputs("本期无。\n", f);
    json_array_foreach(json_object_get(rep, "honors"), i, h) md_honor(f, h);
    return ferror(f) ? -1 : 0;
}
