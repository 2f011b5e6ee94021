/* Error reporting of huizong. */
#include "cli/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/reason.h"
#include "i18n.h"
#include "kind.h"
#include "wire.h"
#include "i18n.h"

void diag_error(const char *fmt, ...)
{
    va_list ap;

    fputs("huizong: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void diag_field(const char *kind, uint32_t index, const char *field, const char *reason)
{
    const char *array = kind_array_name(kind);
    const char *f = (field && *field) ? field : _("(record)");

    if (array)
        fprintf(stderr, "  %s[%u].%s: %s\n", array, (unsigned)index, f, reason);
    else
        fprintf(stderr, "  %s: %s\n", f, reason);
}

int diag_status_exit(Huizong__Status s)
{
    switch (s) {
    case HUIZONG__STATUS__OK:
        return HZ_EXIT_OK;
    case HUIZONG__STATUS__UNAVAILABLE:
    case HUIZONG__STATUS__UNAUTHENTICATED:
    case HUIZONG__STATUS__DEADLINE_EXCEEDED:
        return HZ_EXIT_NET;
    default:
        return HZ_EXIT_REFUSED;
    }
}

const char *diag_refusal_text(const Huizong__ErrorInfo *info, const char *english, char *buf,
                              size_t len)
{
    const char *t = i18n_translating() ? reason_render(info, buf, len) : NULL;

    return t ? t : english;
}

const char *diag_response_text(const Huizong__Response *r, char *buf, size_t len)
{
    const char *english = r->message ? r->message : "";

    if (!i18n_translating())
        return english;
    if (reason_render(r->info, buf, len))
        return buf;
    /* Without a reason of its own, a refusal with field errors repeats the
     * first of them in English; each follows on its own line. */
    if (r->n_errors > 0 && !r->info) {
        snprintf(buf, len, _("%zu errors, each listed below"), r->n_errors);
        return buf;
    }
    return english;
}

int diag_response(const Huizong__Response *r, const uint32_t first_index[3])
{
    int code = diag_status_exit(r->status);
    const char *lead = code == HZ_EXIT_NET ? _("server unavailable") : _("server refused");
    const char *status = reason_status_words(r->status);
    char buf[512];

    if (code == HZ_EXIT_OK)
        return code;
    if (r->message && *r->message)
        /* TRANSLATORS: lead ("server refused"), status in words, the reason. */
        diag_error(_("%s: %s: %s"), lead, status, diag_response_text(r, buf, sizeof buf));
    else
        diag_error(_("%s: %s"), lead, status);
    for (size_t i = 0; i < r->n_errors; i++) {
        const Huizong__FieldError *e = r->errors[i];
        int slot = kind_from_name(e->kind); /* index into first_index */
        uint32_t shift = (first_index && slot >= 0) ? first_index[slot] : 0;

        diag_field(e->kind, e->index + shift, e->field,
                   diag_refusal_text(e->info, e->reason, buf, sizeof buf));
    }
    return code;
}
