/* Local checks of imported records. */
#include "import/import_check.h"

#include <stdlib.h>
#include <string.h>

#include "validate.h"
#include "i18n.h"

static const char *check_record_id(const Huizong__SubmitBatch *b, size_t i)
{
    if (b->n_activities)
        return b->activities[i]->record_id;
    if (b->n_indicator_values)
        return b->indicator_values[i]->record_id;
    return b->honors[i]->record_id;
}

typedef struct {
    const char *id;
    size_t i;
} check_ref;

static int check_ref_cmp(const void *a, const void *b)
{
    const check_ref *x = a, *y = b;
    int c = strcmp(x->id, y->id);

    return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/* Identical rows derive the same record id: one record, not two. */
static void check_repeats(import_sheet *s, const Huizong__SubmitBatch *b, unsigned char *bad)
{
    check_ref *refs = malloc(s->n * sizeof *refs);
    const char *h;
    size_t col = import_column_of(s, "record_id", &h);

    if (refs == NULL)
        return;
    for (size_t i = 0; i < s->n; i++)
        refs[i] = (check_ref){check_record_id(b, i), i};
    qsort(refs, s->n, sizeof *refs, check_ref_cmp);
    for (size_t k = 1; k < s->n; k++) {
        if (strcmp(refs[k].id, refs[k - 1].id) != 0)
            continue;
        size_t first = k - 1;
        while (first > 0 && strcmp(refs[first - 1].id, refs[k].id) == 0)
            first--;
        unsigned l0 = s->lines[refs[first].i], l = s->lines[refs[k].i];
        if (col)
            import_error_add(s, l, col, _("record_id %s is also on line %u"), refs[k].id, l0);
        else
            import_error_add(s, l, 0, _("same record as line %u (identical rows are one record; "
                             "delete one, or tell them apart, e.g. in 简介)"), l0);
        bad[refs[k].i] = 1;
    }
    free(refs);
}

void import_check_batch(import_sheet *s, const Huizong__SubmitBatch *b, unsigned char *bad)
{
    validate_errors errs = {.max = (size_t)-1};
    const char *h;

    validate_batch(b, 0, &errs);
    for (size_t k = 0; k < errs.count; k++) {
        const validate_error *e = &errs.items[k];
        /* Repeats are reported by check_repeats, with both lines. */
        if (strcmp(e->field, "record_id") == 0 && strcmp(e->reason, _("repeated in this batch")) == 0)
            continue;
        if (e->index >= s->n)
            continue;
        size_t col = import_column_of(s, e->field, &h);
        if (col == 0 && strcmp(e->field, "unit_code") == 0)
            import_error_add(s, s->lines[e->index], 0, _("unit_code: %s (the client certificate's "
                             "unit is used when there is no 单位代码 column)"), e->reason);
        else
            import_error_add(s, s->lines[e->index], col, "%s%s%s", col ? "" : e->field,
                             col ? "" : ": ", e->reason);
        bad[e->index] = 1;
    }
    validate_errors_free(&errs);
    check_repeats(s, b, bad);
}

void import_drop_bad(import_sheet *s, const unsigned char *bad)
{
    size_t o = 0;

    for (size_t i = s->n; i-- > 0;)
        if (bad[i])
            json_array_remove(s->records, i);
    for (size_t i = 0; i < s->n; i++)
        if (!bad[i])
            s->lines[o++] = s->lines[i];
    s->n = o;
}

size_t import_bad_rows(const import_sheet *s)
{
    size_t n = 0;

    /* Errors are sorted by line once printed; count line changes. */
    for (size_t i = 0; i < s->n_errors; i++)
        if (i == 0 || s->errors[i].line != s->errors[i - 1].line)
            n++;
    return n;
}
