/* Length-prefixed framing of protobuf messages. */
#include "frame.h"

#include <stdlib.h>

frame_status frame_peek(const uint8_t *buf, size_t len, uint32_t max_payload,
                        uint32_t *payload_len)
{
    if (!buf || len < 4)
        return FRAME_NEED_MORE;
    uint32_t n = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 |
                 (uint32_t)buf[2] << 8 | (uint32_t)buf[3];
    if (payload_len)
        *payload_len = n;
    if (n == 0)
        return FRAME_EMPTY;
    if (n > max_payload)
        return FRAME_TOO_LARGE;
    if (len - 4 < n)
        return FRAME_NEED_MORE;
    return FRAME_READY;
}

void frame_put_header(uint8_t out[4], uint32_t payload_len)
{
    out[0] = (uint8_t)(payload_len >> 24);
    out[1] = (uint8_t)(payload_len >> 16);
    out[2] = (uint8_t)(payload_len >> 8);
    out[3] = (uint8_t)payload_len;
}

static uint8_t *frame_pack(const ProtobufCMessage *m, size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (!m)
        return NULL;
    size_t n = protobuf_c_message_get_packed_size(m);
    if (n > UINT32_MAX - 4u)
        return NULL;
    /* An empty message packs to zero bytes, which the peer must reject as
     * FRAME_EMPTY; malloc(4) still gives a valid header-only buffer. */
    uint8_t *buf = malloc(4 + n);
    if (!buf)
        return NULL;
    frame_put_header(buf, (uint32_t)n);
    size_t packed = protobuf_c_message_pack(m, buf + 4);
    if (packed != n) {
        free(buf);
        return NULL;
    }
    if (out_len)
        *out_len = 4 + n;
    return buf;
}

uint8_t *frame_pack_request(const Huizong__Request *req, size_t *out_len)
{
    return frame_pack(req ? &req->base : NULL, out_len);
}

uint8_t *frame_pack_response(const Huizong__Response *resp, size_t *out_len)
{
    return frame_pack(resp ? &resp->base : NULL, out_len);
}
