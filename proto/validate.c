/* Field validation of requests: syntax and ranges that need no database. */
#include "validate.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "code.h"
#include "kind.h"
#include "utf8.h"
#include "i18n.h"

#define VALIDATE_DEFAULT_MAX_ERRORS 100u
#define VALIDATE_QUOTE_BYTES 48u /* of a bad value quoted in a reason */

/* ---- single values ------------------------------------------------------ */

static bool validate_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int validate_num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

bool validate_uuid(const char *s)
{
    if (!s || strlen(s) != 36)
        return false;
    for (size_t i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
            return false;
    }
    return true;
}

bool validate_year_number(long y)
{
    return y >= VALIDATE_YEAR_MIN && y <= VALIDATE_YEAR_MAX;
}

static bool validate_year(const char *s)
{
    return validate_digits(s, 4) && validate_year_number(validate_num(s, 4));
}

static bool validate_month(const char *s)
{
    if (!validate_digits(s, 2))
        return false;
    int m = validate_num(s, 2);
    return m >= 1 && m <= 12;
}

static int validate_days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

bool validate_date(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    if (!validate_year(s) || !validate_month(s + 5) || !validate_digits(s + 8, 2))
        return false;
    int d = validate_num(s + 8, 2);
    return d >= 1 && d <= validate_days_in_month(validate_num(s, 4), validate_num(s + 5, 2));
}

bool validate_partial_date(const char *s)
{
    if (!s)
        return false;
    switch (strlen(s)) {
    case 4:
        return validate_year(s);
    case 7:
        return s[4] == '-' && validate_year(s) && validate_month(s + 5);
    case 10:
        return validate_date(s);
    default:
        return false;
    }
}

bool validate_period(const char *s, char *type)
{
    if (!s || strlen(s) < 4 || !validate_year(s))
        return false;
    char t;
    if (s[4] == '\0')
        t = 'y';
    else if (s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4' && s[7] == '\0')
        t = 'q';
    else if (s[4] == '-' && strlen(s) == 7 && validate_month(s + 5))
        t = 'm';
    else
        return false;
    if (type)
        *type = t;
    return true;
}

bool validate_code(const char *s)
{
    return code_valid(s);
}

bool validate_utf8(const char *s, size_t max_bytes)
{
    if (!s)
        return false;
    size_t len = strlen(s);
    return len <= max_bytes && utf8_valid(s, len);
}

/* ---- error collection --------------------------------------------------- */

void validate_errors_free(validate_errors *e)
{
    if (!e)
        return;
    free(e->items);
    e->items = NULL;
    e->count = e->cap = 0;
}

/* Where errors of the record being checked go. `found` counts every error
 * appended, so a batch is never reported well-formed when storing failed. */
typedef struct {
    validate_errors *errs;
    const char *kind;
    uint32_t index;
    size_t found;
    size_t max;
} validate_ctx;

static bool validate_full(const validate_ctx *c)
{
    return c->found >= c->max;
}

static void validate_fail(validate_ctx *c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool validate_errors_vadd(validate_errors *e, const char *kind, uint32_t index,
                                 const char *field, const char *fmt, va_list ap)
{
    if (e->count == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        validate_error *items = realloc(e->items, cap * sizeof *items);
        if (!items)
            return false;
        e->items = items;
        e->cap = cap;
    }
    validate_error *it = &e->items[e->count++];
    it->kind = kind;
    it->index = index;
    it->field = field;
    vsnprintf(it->reason, sizeof it->reason, fmt, ap);
    return true;
}

bool validate_errors_add(validate_errors *e, const char *kind, uint32_t index, const char *field,
                         const char *fmt, ...)
{
    if (e->count >= (e->max ? e->max : VALIDATE_DEFAULT_MAX_ERRORS))
        return false;
    va_list ap;
    va_start(ap, fmt);
    bool ok = validate_errors_vadd(e, kind, index, field, fmt, ap);
    va_end(ap);
    return ok;
}

static void validate_fail(validate_ctx *c, const char *field, const char *fmt, ...)
{
    if (validate_full(c))
        return;
    c->found++;
    if (!c->errs)
        return;
    va_list ap;
    va_start(ap, fmt);
    (void)validate_errors_vadd(c->errs, c->kind, c->index, field, fmt, ap);
    va_end(ap);
}

/* ---- control characters ------------------------------------------------- */

typedef struct {
    const ProtobufCMessageDescriptor *msg;
    const char *field;
    validate_text_rule rule;
} validate_field_rule_row;

#define VALIDATE_TEXT(m, f) { &huizong__##m##__descriptor, f, VALIDATE_MULTI_LINE }
static const validate_field_rule_row validate_field_rules[] = {
    VALIDATE_TEXT(activity, "title"),
    VALIDATE_TEXT(activity, "location"),
    VALIDATE_TEXT(activity, "organiser"),
    VALIDATE_TEXT(activity, "summary"),
    VALIDATE_TEXT(honor, "title"),
    VALIDATE_TEXT(honor, "issuer"),
    VALIDATE_TEXT(honor, "recipient"),
    VALIDATE_TEXT(indicator_value, "note"),
    VALIDATE_TEXT(enroll, "csr_pem"),
    VALIDATE_TEXT(cert_revoke, "reason"),
    VALIDATE_TEXT(record_retract, "reason"),
    VALIDATE_TEXT(correction_file, "reason"),
    VALIDATE_TEXT(correction_decide, "reason"),
    { &huizong__hello__descriptor, "client_name", VALIDATE_UNCHECKED },
};

validate_text_rule validate_field_rule(const ProtobufCMessageDescriptor *d, const char *field)
{
    for (size_t i = 0; i < sizeof validate_field_rules / sizeof validate_field_rules[0]; i++)
        if (validate_field_rules[i].msg == d && strcmp(validate_field_rules[i].field, field) == 0)
            return validate_field_rules[i].rule;
    return VALIDATE_ONE_LINE;
}

long validate_control_at(const char *s, size_t len, validate_text_rule rule)
{
    if (rule == VALIDATE_UNCHECKED)
        return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch != 0x7F)
            continue;
        if (rule == VALIDATE_MULTI_LINE && (ch == '\t' || ch == '\n'))
            continue;
        return (long)i;
    }
    return -1;
}

const char *validate_control_reason(validate_text_rule rule)
{
    return rule == VALIDATE_MULTI_LINE ? VALIDATE_CONTROL_REASON_TEXT : VALIDATE_CONTROL_REASON;
}

/* Quotes a bad value for a reason: bounded, valid UTF-8, no control bytes,
 * because reasons travel back over the wire and into terminals. */
static const char *validate_quote(char out[VALIDATE_QUOTE_BYTES + 8], const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), o = 0, i = 0;
    out[o++] = '"';
    while (i < len && o < VALIDATE_QUOTE_BYTES) {
        size_t n = utf8_seq_len(s + i, len - i);
        if (n == 0 || p[i] < 0x20 || p[i] == 0x7F) {
            out[o++] = '?';
            i++;
            continue;
        }
        if (o + n > VALIDATE_QUOTE_BYTES)
            break;
        memcpy(out + o, p + i, n);
        o += n;
        i += n;
    }
    if (i < len) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '"';
    out[o] = '\0';
    return out;
}

static const char *validate_str(const char *s)
{
    return s ? s : "";
}

/* ---- fields ------------------------------------------------------------- */

/* Length, encoding and control characters of a free text (TAB and LF
 * allowed: every caller's field is multi-line, validate_field_rules);
 * returns false when it failed. */
static bool validate_text(validate_ctx *c, const char *field, const char *s,
                          size_t max, bool required)
{
    s = validate_str(s);
    size_t len = strlen(s);
    if (len == 0) {
        if (required)
            validate_fail(c, field, _("required"));
        return !required;
    }
    if (len > max) {
        validate_fail(c, field, _("too long: %zu bytes (at most %zu)"), len, max);
        return false;
    }
    if (!utf8_valid(s, len)) {
        validate_fail(c, field, _("not valid UTF-8"));
        return false;
    }
    if (validate_control_at(s, len, VALIDATE_MULTI_LINE) >= 0) {
        validate_fail(c, field, VALIDATE_CONTROL_REASON_TEXT);
        return false;
    }
    return true;
}

static void validate_list(validate_ctx *c, const char *field, char *const *items, size_t n)
{
    if (n > VALIDATE_MAX_LIST) {
        validate_fail(c, field, _("%zu entries (at most %u)"), n, VALIDATE_MAX_LIST);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *s = validate_str(items[i]);
        size_t len = strlen(s);
        if (len > VALIDATE_MAX_SHORT)
            validate_fail(c, field, _("entry %zu too long: %zu bytes (at most %u)"), i, len,
                          VALIDATE_MAX_SHORT);
        else if (!utf8_valid(s, len))
            validate_fail(c, field, _("entry %zu not valid UTF-8"), i);
        else if (validate_control_at(s, len, VALIDATE_ONE_LINE) >= 0)
            validate_fail(c, field, "entry %zu " VALIDATE_CONTROL_REASON, i);
    }
}

static void validate_code_field(validate_ctx *c, const char *field, const char *s,
                                bool required)
{
    char q[VALIDATE_QUOTE_BYTES + 8];
    s = validate_str(s);
    if (*s == '\0') {
        if (required)
            validate_fail(c, field, _("required"));
        return;
    }
    if (!validate_code(s))
        validate_fail(c, field, _("invalid code %s (want a-z, 0-9, _ or -, at most 63)"),
                      validate_quote(q, s));
}

static void validate_record_id(validate_ctx *c, const char *s, bool repeated)
{
    char q[VALIDATE_QUOTE_BYTES + 8];
    s = validate_str(s);
    if (*s == '\0')
        validate_fail(c, "record_id", _("required"));
    else if (!validate_uuid(s))
        validate_fail(c, "record_id", _("invalid UUID %s"), validate_quote(q, s));
    else if (repeated)
        validate_fail(c, "record_id", _("repeated in this batch"));
}

static void validate_date_field(validate_ctx *c, const char *s, bool partial)
{
    char q[VALIDATE_QUOTE_BYTES + 8];
    s = validate_str(s);
    if (*s == '\0')
        validate_fail(c, "date", _("required"));
    else if (partial ? !validate_partial_date(s) : !validate_date(s))
        validate_fail(c, "date", _("invalid date %s (want %s)"), validate_quote(q, s),
                      partial ? "YYYY-MM-DD, YYYY-MM or YYYY" : "YYYY-MM-DD");
}

/* ---- records ------------------------------------------------------------ */

static void validate_activity(validate_ctx *c, const ProtobufCMessage *m, bool repeated)
{
    const Huizong__Activity *a = (const Huizong__Activity *)m;
    validate_record_id(c, a->record_id, repeated);
    validate_code_field(c, "unit_code", a->unit_code, true);
    validate_date_field(c, a->date, false);
    validate_code_field(c, "category", a->category, true);
    validate_text(c, "title", a->title, VALIDATE_MAX_SHORT, true);
    validate_text(c, "location", a->location, VALIDATE_MAX_SHORT, false);
    if (a->participants < 0)
        validate_fail(c, "participants", _("must be >= 0, got %lld"),
                      (long long)a->participants);
    else if (a->participants_unknown && (a->participants != 0 || a->participants_at_least))
        validate_fail(c, "participants_unknown",
                      "a count not reported cannot also be %lld%s; give one or the other",
                      (long long)a->participants, a->participants_at_least ? "+" : "");
    validate_list(c, "partners", a->partners, a->n_partners);
    validate_text(c, "organiser", a->organiser, VALIDATE_MAX_SHORT, false);
    validate_text(c, "summary", a->summary, VALIDATE_MAX_TEXT, false);
    validate_list(c, "tags", a->tags, a->n_tags);
    validate_list(c, "beneficiaries", a->beneficiaries, a->n_beneficiaries);
}

static void validate_indicator_value(validate_ctx *c, const ProtobufCMessage *m, bool repeated)
{
    const Huizong__IndicatorValue *v = (const Huizong__IndicatorValue *)m;
    char q[VALIDATE_QUOTE_BYTES + 8];
    validate_record_id(c, v->record_id, repeated);
    validate_code_field(c, "unit_code", v->unit_code, true);
    validate_code_field(c, "indicator", v->indicator, true);
    const char *p = validate_str(v->period);
    if (*p == '\0')
        validate_fail(c, "period", _("required"));
    else if (!validate_period(p, NULL))
        validate_fail(c, "period", _("invalid period %s (want YYYY, YYYY-Qn or YYYY-MM)"),
                      validate_quote(q, p));
    if (!isfinite(v->value))
        validate_fail(c, "value", _("must be a finite number, got %g"), v->value);
    else if (v->value < 0)
        validate_fail(c, "value", _("must be >= 0, got %g"), v->value);
    validate_text(c, "note", v->note, VALIDATE_MAX_TEXT, false);
}

static bool validate_honor_level(const char *s)
{
    static const char *const levels[] = { "street", "district", "city", "province",
                                          "national" };
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (strcmp(s, levels[i]) == 0)
            return true;
    return false;
}

static void validate_honor(validate_ctx *c, const ProtobufCMessage *m, bool repeated)
{
    const Huizong__Honor *h = (const Huizong__Honor *)m;
    char q[VALIDATE_QUOTE_BYTES + 8];
    validate_record_id(c, h->record_id, repeated);
    validate_code_field(c, "unit_code", h->unit_code, true);
    validate_date_field(c, h->date, true);
    validate_text(c, "title", h->title, VALIDATE_MAX_SHORT, true);
    const char *level = validate_str(h->level);
    if (*level && !validate_honor_level(level))
        validate_fail(c, "level",
                      _("unknown level %s (want street, district, city, province or national)"),
                      validate_quote(q, level));
    validate_text(c, "issuer", h->issuer, VALIDATE_MAX_SHORT, false);
    validate_code_field(c, "category", h->category, false);
    validate_text(c, "recipient", h->recipient, VALIDATE_MAX_SHORT, false);
}

typedef void validate_record_fn(validate_ctx *c, const ProtobufCMessage *m, bool repeated);

static validate_record_fn *const validate_record[KIND_COUNT] = {
    [KIND_ACTIVITY] = validate_activity,
    [KIND_INDICATOR_VALUE] = validate_indicator_value,
    [KIND_HONOR] = validate_honor,
};

/* ---- repeated record ids ------------------------------------------------ */

typedef struct {
    const char *id;
    size_t pos; /* position in the whole batch: activities, values, honors */
} validate_id_ref;

static int validate_id_cmp(const void *a, const void *b)
{
    const validate_id_ref *x = a, *y = b;
    int r = strcasecmp(x->id, y->id); /* a UUID's hex digits are case-blind */
    if (r)
        return r;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static const char *validate_batch_id(const Huizong__SubmitBatch *b, size_t pos)
{
    kind_id k = KIND_ACTIVITY;
    while (pos >= kind_batch_count(b, k))
        pos -= kind_batch_count(b, k++);
    return kind_record_id(kind_batch_record(b, k, pos));
}

/* Marks every record whose id an earlier record of the batch (of any kind)
 * already used. Sorting keeps this O(n log n) for the largest batches.
 * Returns NULL when out of memory. */
static bool *validate_find_repeats(const Huizong__SubmitBatch *b, size_t total)
{
    bool *rep = calloc(total ? total : 1, sizeof *rep);
    validate_id_ref *refs = malloc((total ? total : 1) * sizeof *refs);
    if (!rep || !refs) {
        free(rep);
        free(refs);
        return NULL;
    }
    size_t n = 0;
    for (size_t pos = 0; pos < total; pos++) {
        const char *id = validate_batch_id(b, pos);
        if (validate_uuid(id))
            refs[n++] = (validate_id_ref){ id, pos };
    }
    qsort(refs, n, sizeof *refs, validate_id_cmp);
    for (size_t i = 1; i < n; i++)
        if (strcasecmp(refs[i - 1].id, refs[i].id) == 0)
            rep[refs[i].pos] = true;
    free(refs);
    return rep;
}

/* ---- batch -------------------------------------------------------------- */

#define VALIDATE_BATCH_SIZE_REASON "%zu records; at most %u per batch"

bool validate_batch_size(size_t total, uint32_t max_records, validate_errors *errs)
{
    if (!max_records || total <= max_records)
        return true;
    if (errs)
        (void)validate_errors_add(errs, "request", 0, "records", VALIDATE_BATCH_SIZE_REASON, total,
                                  max_records);
    return false;
}

size_t validate_batch(const Huizong__SubmitBatch *b, uint32_t max_records,
                      validate_errors *errs)
{
    validate_ctx c = { errs, "request", 0, 0, VALIDATE_DEFAULT_MAX_ERRORS };
    if (errs && errs->max)
        c.max = errs->max;
    if (!b)
        return 0;
    size_t total = kind_batch_total(b);
    if (!validate_batch_size(total, max_records, errs))
        return 1;
    bool *rep = validate_find_repeats(b, total);
    if (!rep) {
        validate_fail(&c, "records", _("out of memory checking record ids"));
        return c.found;
    }
    size_t start = 0; /* position of the kind's first record in the batch */
    for (kind_id k = KIND_ACTIVITY; k < KIND_COUNT; start += kind_batch_count(b, k++)) {
        c.kind = kind_get(k)->name;
        for (size_t i = 0; i < kind_batch_count(b, k) && !validate_full(&c); i++) {
            c.index = (uint32_t)i;
            validate_record[k](&c, kind_batch_record(b, k, i), rep[start + i]);
        }
    }
    free(rep);
    return c.found;
}

bool validate_level(const char *s)
{
    static const char *const levels[] = {"city", "district", "street", "community", "grid"};

    for (size_t i = 0; s && i < sizeof(levels) / sizeof(levels[0]); i++)
        if (strcmp(s, levels[i]) == 0)
            return true;
    return false;
}
