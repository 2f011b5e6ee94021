/* Unit/category codes and role words. */
#include "code.h"

#include <string.h>

static bool code_char(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!first && (c == '_' || c == '-'));
}

bool code_valid(const char *s)
{
    if (!s || !code_char(s[0], true))
        return false;
    size_t i = 1;
    for (; s[i]; i++)
        if (!code_char(s[i], false))
            return false;
    return i <= CODE_MAX_LEN;
}

bool code_role_valid(const char *role)
{
    return role && (strcmp(role, CODE_ROLE_COMMUNITY) == 0 ||
                    strcmp(role, CODE_ROLE_DISTRICT) == 0 || strcmp(role, CODE_ROLE_ADMIN) == 0);
}
