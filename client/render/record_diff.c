/* Field-by-field change between two record contents. */
#include "render/record_diff.h"

#include <string.h>

#include "i18n.h"
#include "render/render.h"

/* A value as a person reads it; "" for a default. */
static void diff_text(const json_t *v, char *buf, size_t len)
{
    size_t o = 0, i;
    json_t *x;

    buf[0] = '\0';
    if (json_is_string(v))
        snprintf(buf, len, "%s", json_string_value(v));
    else if (json_is_number(v) && json_number_value(v) != 0)
        render_number(json_number_value(v), buf, len);
    else if (json_is_true(v))
        snprintf(buf, len, "true");
    else if (json_is_array(v))
        json_array_foreach(v, i, x) {
            if (o + 1 >= len)
                break;
            int n = snprintf(buf + o, len - o, "%s%s", i ? "、" : "",
                             json_is_string(x) ? json_string_value(x) : "?");
            o = n < 0 ? len : o + (size_t)n;
        }
}

typedef void (*diff_fn)(void *ctx, const char *field, const char *old, const char *new_);

/* Calls fn for each field of either side whose text differs, fields of
 * `new_` in its order first, then those only in `old`. */
static size_t diff_walk(const json_t *old, const json_t *new_, diff_fn fn, void *ctx)
{
    char a[512], b[512];
    const char *k;
    json_t *v;
    size_t n = 0;

    json_object_foreach((json_t *)new_, k, v) {
        if (strcmp(k, "record_id") == 0)
            continue;
        diff_text(json_object_get(old, k), a, sizeof a);
        diff_text(v, b, sizeof b);
        if (strcmp(a, b) != 0 && ++n)
            fn(ctx, k, a, b);
    }
    json_object_foreach((json_t *)old, k, v) {
        if (strcmp(k, "record_id") == 0 || json_object_get(new_, k))
            continue;
        diff_text(v, a, sizeof a);
        if (*a && ++n)
            fn(ctx, k, a, "");
    }
    return n;
}

typedef struct {
    FILE *f;
    const char *indent;
} diff_file;

static void diff_to_file(void *ctx, const char *field, const char *old, const char *new_)
{
    diff_file *d = ctx;

    fprintf(d->f, "%s%s: %s → %s\n", d->indent, field, *old ? old : _("(empty)"),
            *new_ ? new_ : _("(empty)"));
}

size_t record_diff_print(FILE *f, const char *indent, const json_t *old, const json_t *new_)
{
    diff_file d = {f, indent};

    return diff_walk(old, new_, diff_to_file, &d);
}

typedef struct {
    char *buf;
    size_t len, o;
} diff_buf;

static void diff_to_buf(void *ctx, const char *field, const char *old, const char *new_)
{
    diff_buf *d = ctx;

    if (d->o + 1 >= d->len)
        return;
    int n = snprintf(d->buf + d->o, d->len - d->o, "%s%s %s → %s", d->o ? "; " : "", field,
                     *old ? old : _("(empty)"), *new_ ? new_ : _("(empty)"));
    d->o = n < 0 ? d->len : d->o + (size_t)n;
}

size_t record_diff_line(char *buf, size_t len, const json_t *old, const json_t *new_)
{
    diff_buf d = {buf, len, 0};

    buf[0] = '\0';
    return diff_walk(old, new_, diff_to_buf, &d);
}
