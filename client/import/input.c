/* Submit files: JSON into a SubmitBatch. */
#include "import/input.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "pbjson.h"
#include "i18n.h"

/* Fixed namespace of derived record ids; changing it changes every derived
 * id and breaks idempotent re-sending, so it never changes. */
static const unsigned char input_uuid_ns[16] = {
    0x3d, 0x8a, 0x52, 0x1f, 0xc4, 0x6e, 0x4b, 0x07,
    0x9a, 0x31, 0xe2, 0x5c, 0x70, 0x94, 0xb8, 0x16,
};

void input_free(Huizong__SubmitBatch *b)
{
    if (b)
        protobuf_c_message_free_unpacked(&b->base, NULL);
}

size_t input_record_count(const Huizong__SubmitBatch *b)
{
    return b->n_activities + b->n_indicator_values + b->n_honors;
}

/* The record as hashed: no record_id, no nulls (null means absent). */
static json_t *input_canonical(const json_t *record)
{
    json_t *c = json_deep_copy(record), *v;
    const char *key;
    void *tmp;

    if (c == NULL)
        return NULL;
    json_object_del(c, "record_id");
    /* A count left blank was hashed without any count before the unknown
     * flag existed; the flag stays out so the row keeps its id. */
    json_object_del(c, "participants_unknown");
    json_object_foreach_safe(c, tmp, key, v) {
        if (json_is_null(v))
            json_object_del(c, key);
    }
    return c;
}

static void input_format_uuid(const unsigned char h[16], char out[INPUT_UUID_LEN])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;

    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[h[i] >> 4];
        out[o++] = hex[h[i] & 15];
    }
    out[o] = '\0';
}

int input_record_id(const char *kind, const json_t *record, char out[INPUT_UUID_LEN])
{
    unsigned char h[EVP_MAX_MD_SIZE];
    json_t *c = input_canonical(record);
    char *text = c ? json_dumps(c, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = text && md && EVP_DigestInit_ex(md, EVP_sha1(), NULL) &&
             EVP_DigestUpdate(md, input_uuid_ns, sizeof input_uuid_ns) &&
             EVP_DigestUpdate(md, kind, strlen(kind) + 1) &&
             EVP_DigestUpdate(md, text, strlen(text)) && EVP_DigestFinal_ex(md, h, NULL);

    EVP_MD_CTX_free(md);
    free(text);
    json_decref(c);
    if (!ok)
        return -1;
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x50); /* version 5 */
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    input_format_uuid(h, out);
    return 0;
}

/* A record's record_id and unit_code: every record kind has both. */
static char **input_str_field(ProtobufCMessage *m, const char *name)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);

    return (char **)((char *)m + f->offset);
}

static int input_set(char **slot, const char *value)
{
    char *copy = strdup(value);

    if (copy == NULL)
        return -1;
    /* The slot holds either the shared empty default (never freed) or an
     * explicit "" from the file (pbjson's own copy, freed here). */
    if (*slot != protobuf_c_empty_string)
        free(*slot);
    *slot = copy;
    return 0;
}

/* Fills unit_code and record_id of one kind's records where the file left them out. */
static int input_fill(const char *name, const char *kind, const char *array, json_t *records,
                      ProtobufCMessage **msgs, size_t n, const char *default_unit,
                      char *err, size_t errlen)
{
    char id[INPUT_UUID_LEN];

    for (size_t i = 0; i < n; i++) {
        char **unit = input_str_field(msgs[i], "unit_code");
        char **rid = input_str_field(msgs[i], "record_id");
        json_t *rec = json_array_get(records, i);

        if (**unit == '\0') {
            if (default_unit == NULL || *default_unit == '\0') {
                snprintf(err, errlen, _("%s: %s[%zu].unit_code: missing, and no client certificate "
                         "to take it from"), name, array, i);
                return -1;
            }
            if (input_set(unit, default_unit) < 0 ||
                json_object_set_new(rec, "unit_code", json_string(default_unit)) < 0)
                goto oom;
        }
        if (**rid == '\0' && (input_record_id(kind, rec, id) < 0 || input_set(rid, id) < 0))
            goto oom;
    }
    return 0;
oom:
    snprintf(err, errlen, _("%s: out of memory"), name);
    return -1;
}

static int input_fill_all(const char *name, json_t *root, Huizong__SubmitBatch *b,
                          const char *default_unit, char *err, size_t errlen)
{
    if (input_fill(name, "activity", "activities", json_object_get(root, "activities"),
                   (ProtobufCMessage **)b->activities, b->n_activities, default_unit,
                   err, errlen) < 0)
        return -1;
    if (input_fill(name, "indicator_value", "indicator_values",
                   json_object_get(root, "indicator_values"),
                   (ProtobufCMessage **)b->indicator_values, b->n_indicator_values,
                   default_unit, err, errlen) < 0)
        return -1;
    return input_fill(name, "honor", "honors", json_object_get(root, "honors"),
                      (ProtobufCMessage **)b->honors, b->n_honors, default_unit, err, errlen);
}

int input_parse_buffer(const char *name, const char *buf, size_t len, const char *default_unit,
                       Huizong__SubmitBatch **out, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root;
    char why[512];
    ProtobufCMessage *m;

    *out = NULL;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) { /* Windows editors add a BOM */
        buf += 3;
        len -= 3;
    }
    root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        snprintf(err, errlen, _("%s: line %d, column %d: %s"), name, je.line, je.column, je.text);
        return -1;
    }
    m = pbjson_to_message(&huizong__submit_batch__descriptor, root, 0, why, sizeof why);
    if (m == NULL) {
        snprintf(err, errlen, "%s: %s", name, why);
        json_decref(root);
        return -1;
    }
    *out = (Huizong__SubmitBatch *)m;
    if (input_fill_all(name, root, *out, default_unit, err, errlen) < 0) {
        input_free(*out);
        *out = NULL;
    }
    json_decref(root);
    return *out ? 0 : -1;
}

/* Reads all of f into a malloc'd buffer; stops one byte past the limit so
 * an oversized file is recognised without reading it all. */
static char *input_slurp(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n;
    char *buf = malloc(cap), *bigger;

    *len = 0;
    while (buf && (n = fread(buf + *len, 1, cap - *len, f)) > 0) {
        *len += n;
        if (*len < cap)
            continue;
        if (cap > INPUT_MAX_BYTES)
            break;
        bigger = realloc(buf, cap * 2);
        if (bigger == NULL)
            free(buf);
        buf = bigger;
        cap *= 2;
    }
    return buf;
}

int input_parse_file(FILE *f, const char *name, const char *default_unit,
                     Huizong__SubmitBatch **out, char *err, size_t errlen)
{
    size_t len;
    char *buf = input_slurp(f, &len);
    int rc = -1;

    *out = NULL;
    if (buf == NULL)
        snprintf(err, errlen, _("%s: out of memory"), name);
    else if (ferror(f))
        snprintf(err, errlen, _("%s: read error"), name);
    else if (len > INPUT_MAX_BYTES)
        snprintf(err, errlen, _("%s: larger than %u MiB"), name, INPUT_MAX_BYTES >> 20);
    else
        rc = input_parse_buffer(name, buf, len, default_unit, out, err, errlen);
    free(buf);
    return rc;
}
