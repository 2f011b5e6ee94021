/* Which categories and indicators feed which section of the year-end report:
 * the sections and their order are those of the 2020 reports in the seed
 * (docs/district.md has the same table). One table, so the mapping is in one
 * place and a new category only needs a line here. */
#include <string.h>

#include "report/report.h"

static const char *const theory_c[] = {"theory", "party", NULL};
static const char *const civility_c[] = {"civility", "environment", "science", NULL};
static const char *const youth_c[] = {"youth", NULL};
static const char *const education_c[] = {"education", "legal", "fire", "antidrug", NULL};
static const char *const culture_c[] = {"culture", NULL};
static const char *const volunteer_c[] = {"volunteer", "visit", NULL};
static const char *const volunteer_i[] = {"volunteers", NULL};
static const char *const publicity_c[] = {"publicity", "news", NULL};
static const char *const publicity_i[] = {"briefs", "opinion_reports", "research_reports",
                                          "publicity_boards", "blog_level", "blog_visits",
                                          NULL};
static const char *const none[] = {NULL};

static const report_section sections[] = {
    {"theory", "理论武装", theory_c, none},
    {"civility", "精神文明创建", civility_c, none},
    {"youth", "未成年人思想道德建设", youth_c, none},
    {"education", "法制、消防与禁毒宣传", education_c, none},
    {"culture", "文体活动", culture_c, none},
    {"volunteer", "志愿服务与走访慰问", volunteer_c, volunteer_i},
    {"publicity", "宣传阵地与信息报送", publicity_c, publicity_i},
    {"other", "其他工作", none, none},
};

const report_section *report_sections(size_t *n)
{
    *n = sizeof sections / sizeof sections[0];
    return sections;
}

size_t report_section_by_key(const char *key)
{
    for (size_t i = 0; key && i < sizeof sections / sizeof sections[0]; i++)
        if (strcmp(sections[i].key, key) == 0)
            return i;
    return (size_t)-1;
}

const char *report_level_name(const char *level)
{
    static const char *const map[][2] = {{"street", "街道级"}, {"district", "区级"},
                                         {"city", "市级"},     {"province", "省级"},
                                         {"national", "国家级"}, {NULL, NULL}};
    for (size_t i = 0; level && map[i][0]; i++)
        if (strcmp(map[i][0], level) == 0)
            return map[i][1];
    return level ? level : "";
}
