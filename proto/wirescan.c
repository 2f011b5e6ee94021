/* The wire walk of a Request before it is unpacked (wirescan.h). Its rules
 * of what is well-formed follow protobuf-c's own unpack: a tag of at most 5
 * bytes and not field 0, wire types 0, 1, 2 and 5, varints of at most 10
 * bytes, length prefixes of at most 5 bytes and INT_MAX. */
#include "wirescan.h"

#include <limits.h>
#include <string.h>

#include "kind.h"

/* Request > RecordAmend > Activity is the deepest the contract nests; more
 * is refused like protobuf-c would refuse a message it cannot represent. */
#define WIRESCAN_MAX_DEPTH 8
#define WIRESCAN_SUBMIT_FIELD 11u /* Request.submit */

typedef struct {
    const uint8_t *p, *end;
} wirescan_cursor;

/* Where a string found inside the current message is reported. */
typedef struct {
    validate_errors *errs;
    long found;
} wirescan_ctx;

typedef struct {
    const char *kind; /* "request" or a record kind's name */
    uint32_t index;   /* the record's index within its kind */
} wirescan_where;

/* A varint of at most `max` bytes; false when it runs off the end or longer. */
static bool wirescan_varint(wirescan_cursor *c, unsigned max, uint64_t *out)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < max && c->p < c->end; i++) {
        uint8_t b = *c->p++;
        v |= (uint64_t)(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

static bool wirescan_tag(wirescan_cursor *c, uint32_t *field, unsigned *wire)
{
    uint64_t t;
    if (c->p >= c->end || (*c->p & 0xF8) == 0)
        return false;
    if (!wirescan_varint(c, 5, &t))
        return false;
    *field = (uint32_t)(t >> 3);
    *wire = (unsigned)(t & 7);
    return true;
}

/* Skips one value of wire type `wire`; for type 2 sets *body and *blen. */
static bool wirescan_value(wirescan_cursor *c, unsigned wire, const uint8_t **body, size_t *blen)
{
    uint64_t v;
    switch (wire) {
    case 0:
        return wirescan_varint(c, 10, &v);
    case 1:
        if (c->end - c->p < 8)
            return false;
        c->p += 8;
        return true;
    case 5:
        if (c->end - c->p < 4)
            return false;
        c->p += 4;
        return true;
    case 2:
        if (!wirescan_varint(c, 5, &v) || v > INT_MAX || v > (uint64_t)(c->end - c->p))
            return false;
        *body = c->p;
        *blen = (size_t)v;
        c->p += v;
        return true;
    default:
        return false;
    }
}

static void wirescan_string(wirescan_ctx *x, const ProtobufCMessageDescriptor *d,
                            const ProtobufCFieldDescriptor *f, const wirescan_where *w,
                            uint32_t entry, const uint8_t *s, size_t len)
{
    validate_text_rule rule = validate_field_rule(d, f->name);
    if (validate_control_at((const char *)s, len, rule) < 0)
        return;
    x->found++;
    if (!x->errs)
        return;
    const char *reason = validate_control_reason(rule);
    if (f->label != PROTOBUF_C_LABEL_REPEATED)
        (void)validate_errors_add(x->errs, w->kind, w->index, f->name, "%s", reason);
    else if (strcmp(w->kind, "request") == 0)
        (void)validate_errors_add(x->errs, w->kind, entry, f->name, "%s", reason);
    else
        (void)validate_errors_add(x->errs, w->kind, w->index, f->name, "entry %u %s", entry, reason);
}

static const char *wirescan_kind_of(const ProtobufCMessageDescriptor *d)
{
    for (kind_id k = KIND_ACTIVITY; k < KIND_COUNT; k++)
        if (kind_get(k)->desc == d)
            return kind_get(k)->name;
    return NULL;
}

/* Counts, per field number, the entries seen of a repeated field, so each
 * error names its entry. Field numbers of the contract's messages stay
 * below 64 outside Request, whose own fields are never repeated. */
#define WIRESCAN_COUNTED 64

static bool wirescan_message(wirescan_ctx *x, const ProtobufCMessageDescriptor *d,
                             const uint8_t *buf, size_t len, wirescan_where w, unsigned depth,
                             uint32_t *counts);

static bool wirescan_field(wirescan_ctx *x, const ProtobufCMessageDescriptor *d,
                           const ProtobufCFieldDescriptor *f, const uint8_t *body, size_t blen,
                           wirescan_where w, unsigned depth, uint32_t entry)
{
    if (f->type == PROTOBUF_C_TYPE_STRING) {
        wirescan_string(x, d, f, &w, entry, body, blen);
        return true;
    }
    if (f->type != PROTOBUF_C_TYPE_MESSAGE)
        return true;
    const ProtobufCMessageDescriptor *sub = f->descriptor;
    const char *kind = wirescan_kind_of(sub);
    if (kind) {
        w.kind = kind;
        w.index = f->label == PROTOBUF_C_LABEL_REPEATED ? entry : 0;
    }
    return wirescan_message(x, sub, body, blen, w, depth + 1, NULL);
}

static bool wirescan_message(wirescan_ctx *x, const ProtobufCMessageDescriptor *d,
                             const uint8_t *buf, size_t len, wirescan_where w, unsigned depth,
                             uint32_t *counts)
{
    uint32_t own[WIRESCAN_COUNTED] = {0};
    wirescan_cursor c = { buf, buf + len };

    if (depth > WIRESCAN_MAX_DEPTH)
        return false;
    if (!counts)
        counts = own;
    while (c.p < c.end) {
        uint32_t num;
        unsigned wire;
        const uint8_t *body = NULL;
        size_t blen = 0;
        if (!wirescan_tag(&c, &num, &wire) || !wirescan_value(&c, wire, &body, &blen))
            return false;
        const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(d, num);
        if (!f || wire != 2)
            continue; /* unknown, or a scalar: nothing to check */
        uint32_t entry = num < WIRESCAN_COUNTED ? counts[num]++ : 0;
        if (!wirescan_field(x, d, f, body, blen, w, depth, entry))
            return false;
    }
    return true;
}

/* Entries of SubmitBatch's record fields, one per kind. */
static size_t wirescan_batch_records(const uint32_t *counts)
{
    size_t n = 0;
    for (kind_id k = KIND_ACTIVITY; k < KIND_COUNT; k++) {
        const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name(
            &huizong__submit_batch__descriptor, kind_get(k)->array);
        if (f && f->id < WIRESCAN_COUNTED)
            n += counts[f->id];
    }
    return n;
}

/* The Request's own fields: request_id (1) and the body (a oneof: the last
 * member on the wire is the one protobuf-c keeps). */
long wirescan_request(const uint8_t *buf, size_t len, wirescan_info *info,
                      validate_errors *errs)
{
    const ProtobufCMessageDescriptor *d = &huizong__request__descriptor;
    wirescan_cursor c = { buf, buf + len };
    wirescan_ctx x = { errs, 0 };
    wirescan_where w = { "request", 0 };

    memset(info, 0, sizeof *info);
    while (c.p < c.end) {
        uint32_t num;
        unsigned wire;
        const uint8_t *body = NULL;
        size_t blen = 0;
        const uint8_t *value = NULL;
        if (!wirescan_tag(&c, &num, &wire))
            return -1;
        value = c.p;
        if (!wirescan_value(&c, wire, &body, &blen))
            return -1;
        const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(d, num);
        if (num == 1 && wire == 0) {
            wirescan_cursor v = { value, c.p };
            (void)wirescan_varint(&v, 10, &info->request_id);
        }
        if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE || wire != 2)
            continue;
        uint32_t counts[WIRESCAN_COUNTED] = {0};
        info->body = num;
        if (!wirescan_message(&x, f->descriptor, body, blen, w, 1, counts))
            return -1;
        info->records = num == WIRESCAN_SUBMIT_FIELD ? wirescan_batch_records(counts) : 0;
    }
    return x.found;
}
