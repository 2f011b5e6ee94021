/* The spool's file format: a header, the packed batch, and a trailer with the
 * length and SHA-256 of what precedes it, so a file cut short by a crash or a
 * full disk, or changed on disk, is recognised instead of half-sent. */
#include "spool/spool.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>
#include "i18n.h"

#define SPOOL_MAGIC "HZSPOOL1"
#define SPOOL_END "HZSPEND1"
#define SPOOL_HASH 32
#define SPOOL_TRAILER (8 + 8 + SPOOL_HASH)

size_t spool_batch_count(const Huizong__SubmitBatch *b)
{
    return b->n_activities + b->n_indicator_values + b->n_honors;
}

static void spool_put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 3; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint64_t spool_get_be(const uint8_t *p, int n)
{
    uint64_t v = 0;

    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static int spool_sha256(const uint8_t *buf, size_t len, uint8_t out[SPOOL_HASH])
{
    unsigned int n = 0;

    return EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL) == 1 && n == SPOOL_HASH ? 0 : -1;
}

static char *spool_header_json(const char *unit, const char *source, time_t queued,
                               size_t records, const uint32_t *lines)
{
    json_t *h = json_pack("{s:i,s:s,s:s,s:I,s:I}", "v", 1, "unit", unit, "source", source,
                          "queued", (json_int_t)queued, "records", (json_int_t)records);
    json_t *arr = lines ? json_array() : NULL;
    char *text = NULL;

    for (size_t i = 0; arr && i < records; i++)
        json_array_append_new(arr, json_integer(lines[i]));
    if (h && (!lines || (arr && json_object_set_new(h, "lines", arr) == 0)))
        text = json_dumps(h, JSON_COMPACT);
    else
        json_decref(arr);
    json_decref(h);
    return text;
}

uint8_t *spool_encode(const char *unit, const char *source, time_t queued,
                      const Huizong__SubmitBatch *b, const uint32_t *lines, size_t *len)
{
    char *head = spool_header_json(unit, source, queued, spool_batch_count(b), lines);
    size_t hl = head ? strlen(head) : 0, bl = protobuf_c_message_get_packed_size(&b->base);
    size_t pre = 8 + 4 + hl + 4 + bl;
    uint8_t *buf = head ? malloc(pre + SPOOL_TRAILER) : NULL, *p = buf;

    if (buf) {
        memcpy(p, SPOOL_MAGIC, 8);
        spool_put_u32(p + 8, (uint32_t)hl);
        memcpy(p + 12, head, hl);
        spool_put_u32(p + 12 + hl, (uint32_t)bl);
        protobuf_c_message_pack(&b->base, p + 16 + hl);
        p += pre;
        memcpy(p, SPOOL_END, 8);
        spool_put_u32(p + 8, (uint32_t)((uint64_t)pre >> 32));
        spool_put_u32(p + 12, (uint32_t)pre);
        if (spool_sha256(buf, pre, p + 16) < 0) {
            free(buf);
            buf = NULL;
        }
        *len = pre + SPOOL_TRAILER;
    }
    free(head);
    return buf;
}

/* Checks magic, trailer, length and checksum; sets *pre to the covered length. */
static int spool_check(const uint8_t *buf, size_t len, size_t *pre, char *err, size_t errlen)
{
    uint8_t h[SPOOL_HASH];

    if (len < 8 || memcmp(buf, SPOOL_MAGIC, 8) != 0) {
        snprintf(err, errlen, _("not a spool file (%zu bytes, no HZSPOOL1 mark)"), len);
        return -2;
    }
    if (len < 16 + SPOOL_TRAILER || memcmp(buf + len - SPOOL_TRAILER, SPOOL_END, 8) != 0) {
        snprintf(err, errlen, _("truncated: %zu bytes and no end marker (cut short by a crash "
                 "or a full disk?)"), len);
        return -2;
    }
    *pre = (size_t)spool_get_be(buf + len - SPOOL_TRAILER + 8, 8);
    if (*pre != len - SPOOL_TRAILER) {
        snprintf(err, errlen, _("length mismatch: the trailer says %zu bytes, the file holds %zu"),
                 *pre, len - SPOOL_TRAILER);
        return -2;
    }
    if (spool_sha256(buf, *pre, h) < 0 || memcmp(h, buf + *pre + 16, SPOOL_HASH) != 0) {
        snprintf(err, errlen, _("checksum mismatch: the file was changed or damaged on disk"));
        return -2;
    }
    return 0;
}

static int spool_header_fill(const char *text, size_t len, spool_batch *out, char *err,
                             size_t errlen)
{
    json_t *h = json_loadb(text, len, 0, NULL), *lines;
    const char *unit = NULL, *source = NULL;
    json_int_t queued = 0, records = 0;
    int rc = -2;

    if (h && json_unpack(h, "{s:s,s:s,s:I,s:I}", "unit", &unit, "source", &source, "queued",
                         &queued, "records", &records) == 0 && records >= 0) {
        snprintf(out->unit, sizeof out->unit, "%s", unit);
        snprintf(out->source, sizeof out->source, "%s", source);
        out->queued = (time_t)queued;
        out->records = (size_t)records;
        lines = json_object_get(h, "lines");
        if (json_is_array(lines) && json_array_size(lines) == out->records && out->records &&
            (out->lines = calloc(out->records, sizeof *out->lines)) != NULL) {
            out->n_lines = out->records;
            for (size_t i = 0; i < out->records; i++)
                out->lines[i] = (uint32_t)json_integer_value(json_array_get(lines, i));
        }
        rc = 0;
    } else {
        snprintf(err, errlen, _("unreadable header"));
    }
    json_decref(h);
    return rc;
}

int spool_decode(const uint8_t *buf, size_t len, int with_body, spool_batch *out, char *err,
                 size_t errlen)
{
    size_t pre, hl, bl;
    int rc = spool_check(buf, len, &pre, err, errlen);

    if (rc < 0)
        return rc;
    hl = (size_t)spool_get_be(buf + 8, 4);
    if (12 + hl + 4 > pre || 16 + hl + (bl = (size_t)spool_get_be(buf + 12 + hl, 4)) != pre) {
        snprintf(err, errlen, _("inconsistent lengths inside the file"));
        return -2;
    }
    if ((rc = spool_header_fill((const char *)buf + 12, hl, out, err, errlen)) < 0)
        return rc;
    if (!with_body)
        return 0;
    out->batch = huizong__submit_batch__unpack(NULL, bl, buf + 16 + hl);
    if (out->batch == NULL || spool_batch_count(out->batch) != out->records) {
        snprintf(err, errlen, _("records do not decode"));
        return -2;
    }
    return 0;
}
