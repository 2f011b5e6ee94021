/* Descriptor-driven protobuf-c <-> JSON. */
#include "pbjson.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *pbjson_scalar(const ProtobufCFieldDescriptor *f, const void *p)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32: case PROTOBUF_C_TYPE_SFIXED32:
        return json_integer(*(const int32_t *)p);
    case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32:
        return json_integer(*(const uint32_t *)p);
    case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
        return json_integer(*(const int64_t *)p);
    case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64:
        return json_integer((json_int_t)*(const uint64_t *)p);
    case PROTOBUF_C_TYPE_FLOAT:
        return json_real(*(const float *)p);
    case PROTOBUF_C_TYPE_DOUBLE:
        return isfinite(*(const double *)p) ? json_real(*(const double *)p) : json_null();
    case PROTOBUF_C_TYPE_BOOL:
        return json_boolean(*(const protobuf_c_boolean *)p);
    case PROTOBUF_C_TYPE_ENUM: {
        const ProtobufCEnumValue *v =
            protobuf_c_enum_descriptor_get_value(f->descriptor, *(const int *)p);
        return v ? json_string(v->name) : json_integer(*(const int *)p);
    }
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *)p;
        return json_string(s ? s : "");
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        const ProtobufCMessage *m = *(ProtobufCMessage *const *)p;
        return m ? pbjson_from_message(m) : json_null();
    }
    case PROTOBUF_C_TYPE_BYTES:
        return json_null(); /* no bytes fields in the contract */
    }
    return json_null();
}

static size_t pbjson_type_size(ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_DOUBLE:
        return 8;
    case PROTOBUF_C_TYPE_STRING: case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(void *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    default:
        return 4;
    }
}

/* A oneof member is present only when its case says so. */
static int pbjson_field_present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    if (!(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
        return 1;
    return *(const uint32_t *)((const char *)m + f->quantifier_offset) == f->id;
}

json_t *pbjson_from_message(const ProtobufCMessage *m)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    json_t *obj = json_object();

    for (unsigned i = 0; obj && i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        const char *base = (const char *)m + f->offset;
        json_t *v;

        if (!pbjson_field_present(m, f))
            continue;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *)((const char *)m + f->quantifier_offset);
            const char *arr = *(char *const *)base;
            v = json_array();
            for (size_t j = 0; v && j < n; j++)
                json_array_append_new(v, pbjson_scalar(f, arr + j * pbjson_type_size(f->type)));
        } else {
            v = pbjson_scalar(f, base);
        }
        if (!v || json_object_set_new(obj, f->name, v) != 0) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}

static const char *pbjson_type_word(ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_STRING: return "a string";
    case PROTOBUF_C_TYPE_BOOL: return "true or false";
    case PROTOBUF_C_TYPE_DOUBLE: case PROTOBUF_C_TYPE_FLOAT: return "a number";
    case PROTOBUF_C_TYPE_MESSAGE: return "an object";
    case PROTOBUF_C_TYPE_ENUM: return "a name";
    default: return "an integer";
    }
}

/* Error paths may be cut short; vsnprintf keeps that from being a warning. */
static void pbjson_path(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}

typedef struct {
    int ignore_unknown;
    char *err;
    size_t errlen;
} pbjson_ctx;

static int pbjson_fail(pbjson_ctx *c, const char *path, const ProtobufCFieldDescriptor *f)
{
    snprintf(c->err, c->errlen, "%s: want %s", path, pbjson_type_word(f->type));
    return -1;
}

static int pbjson_set_int(const ProtobufCFieldDescriptor *f, json_t *v, void *p)
{
    json_int_t n;

    if (!json_is_integer(v))
        return -1;
    n = json_integer_value(v);
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32: case PROTOBUF_C_TYPE_SFIXED32:
        if (n < INT32_MIN || n > INT32_MAX) return -1;
        *(int32_t *)p = (int32_t)n;
        return 0;
    case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32:
        if (n < 0 || n > (json_int_t)UINT32_MAX) return -1;
        *(uint32_t *)p = (uint32_t)n;
        return 0;
    case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64:
        if (n < 0) return -1;
        *(uint64_t *)p = (uint64_t)n;
        return 0;
    default:
        *(int64_t *)p = (int64_t)n;
        return 0;
    }
}

static int pbjson_set_enum(const ProtobufCFieldDescriptor *f, json_t *v, void *p)
{
    const ProtobufCEnumValue *ev = NULL;

    if (json_is_string(v))
        ev = protobuf_c_enum_descriptor_get_value_by_name(f->descriptor, json_string_value(v));
    else if (json_is_integer(v))
        ev = protobuf_c_enum_descriptor_get_value(f->descriptor, (int)json_integer_value(v));
    if (!ev)
        return -1;
    *(int *)p = ev->value;
    return 0;
}

static ProtobufCMessage *pbjson_build(const ProtobufCMessageDescriptor *desc, json_t *obj,
                                      const char *path, pbjson_ctx *c);

/* Sets one value at p; returns 0, or -1 with c->err set. */
static int pbjson_set_value(const ProtobufCFieldDescriptor *f, json_t *v, void *p,
                            const char *path, pbjson_ctx *c)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING:
        if (!json_is_string(v)) return pbjson_fail(c, path, f);
        if (!(*(char **)p = strdup(json_string_value(v)))) return pbjson_fail(c, path, f);
        return 0;
    case PROTOBUF_C_TYPE_BOOL:
        if (!json_is_boolean(v)) return pbjson_fail(c, path, f);
        *(protobuf_c_boolean *)p = json_is_true(v);
        return 0;
    case PROTOBUF_C_TYPE_DOUBLE: case PROTOBUF_C_TYPE_FLOAT:
        if (!json_is_number(v)) return pbjson_fail(c, path, f);
        if (f->type == PROTOBUF_C_TYPE_DOUBLE) *(double *)p = json_number_value(v);
        else *(float *)p = (float)json_number_value(v);
        return 0;
    case PROTOBUF_C_TYPE_ENUM:
        return pbjson_set_enum(f, v, p) == 0 ? 0 : pbjson_fail(c, path, f);
    case PROTOBUF_C_TYPE_MESSAGE:
        if (!json_is_object(v)) return pbjson_fail(c, path, f);
        *(ProtobufCMessage **)p = pbjson_build(f->descriptor, v, path, c);
        return *(ProtobufCMessage **)p ? 0 : -1;
    case PROTOBUF_C_TYPE_BYTES:
        return pbjson_fail(c, path, f);
    default:
        return pbjson_set_int(f, v, p) == 0 ? 0 : pbjson_fail(c, path, f);
    }
}

static int pbjson_set_repeated(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, json_t *v,
                               const char *path, pbjson_ctx *c)
{
    size_t n = json_array_size(v), sz = pbjson_type_size(f->type);
    char **arr = (char **)((char *)m + f->offset);
    size_t *count = (size_t *)((char *)m + f->quantifier_offset);
    char sub[256];

    if (!json_is_array(v)) {
        snprintf(c->err, c->errlen, "%s: want a list", path);
        return -1;
    }
    if (n == 0)
        return 0;
    if (!(*arr = calloc(n, sz))) {
        snprintf(c->err, c->errlen, "%s: out of memory", path);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        pbjson_path(sub, sizeof(sub), "%s[%zu]", path, i);
        if (pbjson_set_value(f, json_array_get(v, i), *arr + i * sz, sub, c) != 0)
            return -1;
        *count = i + 1; /* so a failure frees exactly what was set */
    }
    return 0;
}

static int pbjson_set_field(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, json_t *v,
                            const char *path, pbjson_ctx *c)
{
    if (json_is_null(v))
        return 0;
    if (f->label == PROTOBUF_C_LABEL_REPEATED)
        return pbjson_set_repeated(m, f, v, path, c);
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
        uint32_t *which = (uint32_t *)((char *)m + f->quantifier_offset);
        /* Members share storage: a second one would overwrite (and leak) the first. */
        if (*which != 0 && *which != f->id) {
            snprintf(c->err, c->errlen, "%s: another member of its oneof is already set", path);
            return -1;
        }
        *which = f->id;
    }
    if (f->type == PROTOBUF_C_TYPE_STRING)
        *(char **)((char *)m + f->offset) = NULL; /* replace the shared empty default */
    int rc = pbjson_set_value(f, v, (char *)m + f->offset, path, c);
    if (rc != 0 && f->type == PROTOBUF_C_TYPE_STRING)
        *(char **)((char *)m + f->offset) = (char *)protobuf_c_empty_string;
    return rc;
}

static ProtobufCMessage *pbjson_build(const ProtobufCMessageDescriptor *desc, json_t *obj,
                                      const char *path, pbjson_ctx *c)
{
    ProtobufCMessage *m = calloc(1, desc->sizeof_message);
    const char *key;
    json_t *v;
    char sub[256];

    if (!m) {
        snprintf(c->err, c->errlen, "%s: out of memory", path);
        return NULL;
    }
    protobuf_c_message_init(desc, m);
    json_object_foreach(obj, key, v) {
        const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name(desc, key);
        pbjson_path(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", key);
        if (!f) {
            if (c->ignore_unknown)
                continue;
            snprintf(c->err, c->errlen, "%s: unknown key", sub);
            goto fail;
        }
        if (pbjson_set_field(m, f, v, sub, c) != 0)
            goto fail;
    }
    return m;
fail:
    protobuf_c_message_free_unpacked(m, NULL);
    return NULL;
}

ProtobufCMessage *pbjson_to_message(const ProtobufCMessageDescriptor *desc, json_t *obj,
                                    int ignore_unknown, char *err, size_t errlen)
{
    pbjson_ctx c = {ignore_unknown, err, errlen};

    if (!json_is_object(obj)) {
        snprintf(err, errlen, "want an object");
        return NULL;
    }
    return pbjson_build(desc, obj, "", &c);
}
