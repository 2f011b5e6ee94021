/* reason.c - refusals rendered from their reason codes (see reason.h). One
 * row per reason the server sends; docs/i18n.md lists them. */
#include "cli/reason.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "wire.h"

static const char *reason_meta(const Huizong__ErrorInfo *info, const char *key)
{
    for (size_t i = 0; i < info->n_metadata; i++)
        if (info->metadata[i]->key && strcmp(info->metadata[i]->key, key) == 0)
            return info->metadata[i]->value ? info->metadata[i]->value : "";
    return "";
}

/* A unit as a person knows it: its name, else its code. */
static const char *reason_unit(const Huizong__ErrorInfo *info, const char *code_key,
                               const char *name_key)
{
    const char *name = reason_meta(info, name_key);

    return *name ? name : reason_meta(info, code_key);
}

static const char *reason_role(const char *role)
{
    if (strcmp(role, "community") == 0)
        return _("a community");
    if (strcmp(role, "district") == 0)
        return _("a district or street office");
    if (strcmp(role, "admin") == 0)
        return _("an administrator");
    return *role ? role : _("no role");
}

static void reason_locked(const Huizong__ErrorInfo *info, char *buf, size_t len)
{
    const char *by = reason_unit(info, "locked_by", "locked_by_unit_name");

    if (strcmp(reason_meta(info, "locked_by_admin"), "true") == 0 &&
        !*reason_meta(info, "locked_by_unit_name"))
        by = _("an administrator");
    const char *correct = reason_meta(info, "correct_with");
    int n = snprintf(buf, len, _("period %s is locked for %s since %s by %s"),
                     reason_meta(info, "period"), reason_unit(info, "unit", "unit_name"),
                     reason_meta(info, "locked_at"), by);

    if (n < 0 || (size_t)n >= len)
        return;
    if (*correct)
        snprintf(buf + n, len - (size_t)n, _("; nothing was written (file a correction: %s)"), correct);
    else if (strcmp(reason_meta(info, "nothing_written"), "true") == 0)
        snprintf(buf + n, len - (size_t)n, "%s", _("; nothing was written"));
}

/* A record kind in words. */
static const char *reason_kind(const char *kind)
{
    if (strcmp(kind, "activity") == 0)
        return _("activity");
    if (strcmp(kind, "indicator_value") == 0)
        return _("indicator value");
    if (strcmp(kind, "honor") == 0)
        return _("honour");
    return kind;
}

static void reason_not_own_unit(const Huizong__ErrorInfo *info, char *buf, size_t len)
{
    snprintf(buf, len, _("%s %s is for unit %s, not for this certificate's unit %s; nothing was written"),
             reason_kind(reason_meta(info, "kind")), reason_meta(info, "index"),
             reason_unit(info, "unit", "unit_name"), reason_unit(info, "own_unit", "own_unit_name"));
}

static void reason_unit_not_found(const Huizong__ErrorInfo *info, char *buf, size_t len)
{
    snprintf(buf, len, _("unit \"%s\" is not in the org tree"), reason_meta(info, "unit"));
}

static void reason_out_of_reach(const Huizong__ErrorInfo *info, char *buf, size_t len)
{
    snprintf(buf, len, _("%s is outside the units of %s"), reason_unit(info, "unit", "unit_name"),
             reason_unit(info, "scope", "scope_name"));
}

static void reason_admin_required(const Huizong__ErrorInfo *info, char *buf, size_t len)
{
    snprintf(buf, len, _("only an administrator can do this; this certificate is %s for %s"),
             reason_role(reason_meta(info, "role")), reason_unit(info, "unit", "unit_name"));
}

static void reason_office_required(const Huizong__ErrorInfo *info, char *buf, size_t len)
{
    snprintf(buf, len,
             _("only an administrator or a district or street office can do this; this certificate "
               "is %s for %s"),
             reason_role(reason_meta(info, "role")), reason_unit(info, "unit", "unit_name"));
}

static void reason_community_required(const Huizong__ErrorInfo *info, char *buf, size_t len)
{
    snprintf(buf, len, _("only a community certificate can do this; this certificate is %s for %s"),
             reason_role(reason_meta(info, "role")), reason_unit(info, "unit", "unit_name"));
}

static const struct {
    const char *reason;
    void (*render)(const Huizong__ErrorInfo *info, char *buf, size_t len);
} reason_table[] = {
    {"PERIOD_LOCKED", reason_locked},
    {"NOT_OWN_UNIT", reason_not_own_unit},
    {"UNIT_NOT_FOUND", reason_unit_not_found},
    {"UNIT_OUT_OF_REACH", reason_out_of_reach},
    {"ADMIN_REQUIRED", reason_admin_required},
    {"OFFICE_REQUIRED", reason_office_required},
    {"COMMUNITY_REQUIRED", reason_community_required},
};

const char *reason_render(const Huizong__ErrorInfo *info, char *buf, size_t len)
{
    if (!info || !info->reason || len == 0)
        return NULL;
    for (size_t k = 0; k < sizeof reason_table / sizeof reason_table[0]; k++)
        if (strcmp(info->reason, reason_table[k].reason) == 0) {
            reason_table[k].render(info, buf, len);
            return buf;
        }
    return NULL;
}

const char *reason_status_words(Huizong__Status s)
{
    static const struct {
        Huizong__Status status;
        const char *words;
    } words[] = {
        {HUIZONG__STATUS__INVALID_ARGUMENT, N_("invalid request")},
        {HUIZONG__STATUS__DEADLINE_EXCEEDED, N_("timed out")},
        {HUIZONG__STATUS__NOT_FOUND, N_("not found")},
        {HUIZONG__STATUS__ALREADY_EXISTS, N_("already exists")},
        {HUIZONG__STATUS__PERMISSION_DENIED, N_("permission denied")},
        {HUIZONG__STATUS__RESOURCE_EXHAUSTED, N_("over a limit")},
        {HUIZONG__STATUS__FAILED_PRECONDITION, N_("not possible now")},
        {HUIZONG__STATUS__ABORTED, N_("aborted")},
        {HUIZONG__STATUS__UNIMPLEMENTED, N_("not supported by the server")},
        {HUIZONG__STATUS__INTERNAL, N_("server error")},
        {HUIZONG__STATUS__UNAVAILABLE, N_("unavailable")},
        {HUIZONG__STATUS__UNAUTHENTICATED, N_("certificate not accepted")},
    };

    for (size_t k = 0; i18n_translating() && k < sizeof words / sizeof words[0]; k++)
        if (words[k].status == s)
            return _(words[k].words);
    return wire_status_name(s);
}
