/* Parsing of dates, periods, counts and names typed in sheets. */
#include "import/import_value.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/taxonomy.h"
#include "validate.h"
#include "i18n.h"

/* The seeded taxonomy (sql/002_taxonomy.sql): the names known when the
 * server's taxonomy is not at hand (offline, no cache). Codes of categories an
 * administrator adds later are accepted as they are and checked by the server. */
static const char *const iv_categories[][2] = {
    {"theory", "理论学习"},        {"civility", "精神文明创建"},
    {"youth", "未成年人思想道德建设"}, {"volunteer", "志愿服务"},
    {"visit", "走访慰问"},         {"education", "法制/消防/禁毒宣传"},
    {"science", "科普活动"},       {"environment", "环境整治"},
    {"culture", "文体活动"},       {"publicity", "宣传阵地"},
    {"news", "信息报送"},          {"party", "党建活动"},
    {"legal", "法制宣传"},         {"fire", "消防宣传"},
    {"antidrug", "禁毒宣传"},
};

static const char *const iv_indicators[][2] = {
    {"briefs", "简讯"},           {"opinion_reports", "舆情报道"},
    {"research_reports", "调研报告"}, {"volunteers", "志愿者人数"},
    {"publicity_boards", "固定宣传栏"}, {"blog_level", "社区博客等级"},
    {"blog_visits", "博客点击量"},
};

static const char *const iv_levels[][3] = {
    {"street", "街道", "街道级"}, {"district", "区", "区级"}, {"city", "市", "市级"},
    {"province", "省", "省级"},   {"national", "国家", "国家级"},
};

char *iv_trim(char *s)
{
    char *end;

    for (;;) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        else if (strncmp(s, "\xE3\x80\x80", 3) == 0) /* U+3000 ideographic space */
            s += 3;
        else
            break;
    }
    end = s + strlen(s);
    for (;;) {
        if (end > s && strchr(" \t\r\n", end[-1]))
            end--;
        else if (end - s >= 3 && strncmp(end - 3, "\xE3\x80\x80", 3) == 0)
            end -= 3;
        else
            break;
    }
    *end = '\0';
    return s;
}

/* Reads 1..max digits; returns how many, 0 when none. */
static size_t iv_digits(const char *s, size_t max, int *v)
{
    size_t n = 0;

    *v = 0;
    while (n < max && isdigit((unsigned char)s[n]))
        *v = *v * 10 + (s[n++] - '0');
    return isdigit((unsigned char)s[n]) ? 0 : n;
}

static int iv_lit(const char **p, const char *lit)
{
    size_t n = strlen(lit);

    if (strncmp(*p, lit, n) != 0)
        return 0;
    *p += n;
    return 1;
}

/* " 0:00" or " 12:30:00" after a date, as Excel exports date-times. */
static int iv_time_tail(const char *p)
{
    int v;
    size_t n;

    if (*p == '\0')
        return 1;
    if (*p != ' ')
        return 0;
    p++;
    if ((n = iv_digits(p, 2, &v)) == 0 || p[n] != ':')
        return 0;
    p += n + 1;
    if (iv_digits(p, 2, &v) != 2)
        return 0;
    p += 2;
    if (*p == ':' && iv_digits(p + 1, 2, &v) == 2)
        p += 3;
    return *p == '\0';
}

/* Y sep M [sep D] with one separator, or Y年M月[D日]; *parts = fields read. */
static int iv_ymd(const char *s, int *y, int *m, int *d, int *parts)
{
    const char *p = s;
    size_t n;
    char sep;

    *parts = 0;
    if ((n = iv_digits(p, 4, y)) != 4)
        return -1;
    p += n;
    *parts = 1;
    if (*p == '\0' || strcmp(p, "年") == 0)
        return 0;
    if (iv_lit(&p, "年")) {
        if ((n = iv_digits(p, 2, m)) == 0 || (p += n, !iv_lit(&p, "月")))
            return -1;
        *parts = 2;
        if (*p == '\0')
            return 0;
        if ((n = iv_digits(p, 2, d)) == 0 || (p += n, !iv_lit(&p, "日") && !iv_lit(&p, "号")))
            return -1;
        *parts = 3;
        return iv_time_tail(p) ? 0 : -1;
    }
    sep = *p++;
    if (sep != '-' && sep != '/' && sep != '.')
        return -1;
    if ((n = iv_digits(p, 2, m)) == 0)
        return -1;
    p += n;
    *parts = 2;
    if (*p == '\0')
        return 0;
    if (*p++ != sep || (n = iv_digits(p, 2, d)) == 0)
        return -1;
    *parts = 3;
    return iv_time_tail(p + n) ? 0 : -1;
}

int iv_date(const char *s, bool partial, char out[11])
{
    int y = 0, m = 0, d = 0, parts;

    if (iv_ymd(s, &y, &m, &d, &parts) < 0 || (!partial && parts != 3))
        return -1;
    if (parts == 1)
        snprintf(out, 11, "%04d", y);
    else if (parts == 2)
        snprintf(out, 11, "%04d-%02d", y, m);
    else
        snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return (parts == 3 ? validate_date(out) : validate_partial_date(out)) ? 0 : -1;
}

static int iv_quarter_digit(const char **p)
{
    static const char *const cn[] = {"一", "二", "三", "四"};

    if (**p >= '1' && **p <= '4')
        return *(*p)++ - '0';
    for (int i = 0; i < 4; i++)
        if (iv_lit(p, cn[i]))
            return i + 1;
    return 0;
}

int iv_period(const char *s, char out[8])
{
    const char *p = s + 4;
    int y, m, d, parts, q;

    if (iv_digits(s, 4, &y) != 4)
        return -1;
    /* Quarters: 2020-Q2, 2020Q2, 2020年第二季度, 2020年2季度, 2020年Q2. */
    const char *r = p;
    if (!iv_lit(&r, "-"))
        iv_lit(&r, "年");
    if (*r == 'Q' || *r == 'q') {
        r++;
        if ((q = iv_quarter_digit(&r)) && *r == '\0') {
            snprintf(out, 8, "%04d-Q%d", y, q);
            return 0;
        }
        return -1;
    }
    r = p;
    if (iv_lit(&r, "年")) {
        iv_lit(&r, "第");
        if ((q = iv_quarter_digit(&r)) && iv_lit(&r, "季度") && *r == '\0') {
            snprintf(out, 8, "%04d-Q%d", y, q);
            return 0;
        }
    }
    if (iv_ymd(s, &y, &m, &d, &parts) < 0 || parts == 3)
        return -1;
    if (parts == 1)
        snprintf(out, 8, "%04d", y);
    else if (m >= 1 && m <= 12)
        snprintf(out, 8, "%04d-%02d", y, m);
    else
        return -1;
    return 0;
}

bool iv_unreported(const char *s)
{
    static const char *const words[] = {"未报", "不详", "未知", "unknown"};

    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    return false;
}

int iv_participants(const char *s, int64_t *n, bool *at_least)
{
    static const char *const more[] = {"余人", "多人", "人以上", "人+", "余", "多", "+", "以上"};
    const char *p = s;
    int64_t v = 0;

    *at_least = false;
    if (!isdigit((unsigned char)*p))
        return -1;
    while (isdigit((unsigned char)*p)) {
        if (v > (INT64_C(1) << 40))
            return -1;
        v = v * 10 + (*p++ - '0');
    }
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        if (strcmp(p, more[i]) == 0) {
            *at_least = true;
            p += strlen(p);
        }
    iv_lit(&p, "人");
    if (*p != '\0')
        return -1;
    *n = v;
    return 0;
}

int iv_number(const char *s, double *v)
{
    static const char *const units[] = {"篇", "人", "块", "级", "次", "个", "份", "期", "条"};
    char buf[64];
    size_t o = 0;
    const char *p = s;
    char *end;

    /* Thousands separators as Excel writes them: "1,234". */
    while (*p && (isdigit((unsigned char)*p) || *p == '.' || *p == ',') && o + 1 < sizeof buf) {
        if (*p != ',')
            buf[o++] = *p;
        p++;
    }
    buf[o] = '\0';
    if (o == 0 || !isdigit((unsigned char)buf[0]))
        return -1;
    for (size_t i = 0; *p && i < sizeof units / sizeof units[0]; i++)
        if (strcmp(p, units[i]) == 0)
            p += strlen(p);
    *v = strtod(buf, &end);
    return *end == '\0' && *p == '\0' ? 0 : -1;
}

static const json_t *iv_taxonomy;

void iv_use_taxonomy(const json_t *t)
{
    iv_taxonomy = t;
}

static int iv_lookup(const char *s, const char *const table[][2], size_t n, int indicator,
                     const char **code)
{
    /* The server's names first: a name the district added, or renamed. */
    if ((*code = taxonomy_code(iv_taxonomy, indicator, s)) != NULL)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, table[i][0]) == 0 || strcmp(s, table[i][1]) == 0) {
            *code = table[i][0];
            return 0;
        }
    /* Codes added after the seed are accepted; the server knows them. */
    if (validate_code(s)) {
        *code = s;
        return 0;
    }
    return -1;
}

int iv_category(const char *s, const char **code)
{
    return iv_lookup(s, iv_categories, sizeof iv_categories / sizeof iv_categories[0], 0, code);
}

int iv_indicator(const char *s, const char **code)
{
    return iv_lookup(s, iv_indicators, sizeof iv_indicators / sizeof iv_indicators[0], 1, code);
}

int iv_level(const char *s, const char **code)
{
    for (size_t i = 0; i < sizeof iv_levels / sizeof iv_levels[0]; i++)
        if (strcasecmp(s, iv_levels[i][0]) == 0 || strcmp(s, iv_levels[i][1]) == 0 ||
            strcmp(s, iv_levels[i][2]) == 0) {
            *code = iv_levels[i][0];
            return 0;
        }
    if (strcmp(s, "全国") == 0) {
        *code = "national";
        return 0;
    }
    return -1;
}

int iv_bool(const char *s, bool *v)
{
    static const char *const yes[] = {"true", "yes", "1", "是", "y"};
    static const char *const no[] = {"false", "no", "0", "否", "n"};

    for (size_t i = 0; i < 5; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *v = true;
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *v = false;
            return 0;
        }
    }
    return -1;
}

int iv_list(const char *s, char ***items)
{
    static const char *const seps[] = {"、", "，", "；", ",", ";", "/", "\n"};
    char *copy = strdup(s), *start, *p;
    int n = 0;

    *items = NULL;
    if (copy == NULL)
        return -1;
    for (start = p = copy;; ) {
        size_t sl = 0;
        for (size_t i = 0; *p && i < sizeof seps / sizeof seps[0] && !sl; i++)
            if (strncmp(p, seps[i], strlen(seps[i])) == 0)
                sl = strlen(seps[i]);
        if (*p && !sl) {
            p++;
            continue;
        }
        int last = *p == '\0';
        *p = '\0';
        char *item = iv_trim(start);
        if (*item) {
            char **more = realloc(*items, (size_t)(n + 1) * sizeof *more);
            if (more == NULL || (more[n] = strdup(item)) == NULL) {
                *items = more ? more : *items;
                break;
            }
            *items = more;
            n++;
        }
        if (last)
            break;
        start = p = p + sl;
    }
    free(copy);
    return n;
}

const char *iv_category_names(void)
{
    return _("理论学习, 精神文明创建, 未成年人思想道德建设, 志愿服务, 走访慰问, "
             "法制/消防/禁毒宣传, 法制宣传, 消防宣传, 禁毒宣传, 科普活动, 环境整治, 文体活动, "
             "宣传阵地, 信息报送, 党建活动, or a category code");
}

const char *iv_indicator_names(void)
{
    return _("简讯, 舆情报道, 调研报告, 志愿者人数, 固定宣传栏, 社区博客等级, 博客点击量, "
             "or an indicator code");
}
