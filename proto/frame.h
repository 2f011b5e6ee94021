/* Length-prefixed framing: 4-byte big-endian length N, then N bytes of one
 * protobuf message. Pure functions of their input bytes (fuzzable). */
#ifndef HZ_FRAME_H
#define HZ_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "huizong.pb-c.h"

typedef enum {
    FRAME_NEED_MORE = 0, /* fewer than 4 + N bytes available */
    FRAME_READY,         /* a whole frame is available; *payload_len is N */
    FRAME_EMPTY,         /* N == 0: protocol error */
    FRAME_TOO_LARGE,     /* N > max: protocol error */
} frame_status;

/* Looks at the first `len` bytes of `buf` and says whether a whole frame of at
 * most `max_payload` bytes is there. Sets *payload_len whenever the header is
 * complete (also for FRAME_TOO_LARGE, so the error can name the size). */
frame_status frame_peek(const uint8_t *buf, size_t len, uint32_t max_payload,
                        uint32_t *payload_len);

void frame_put_header(uint8_t out[4], uint32_t payload_len);

/* Packs a message into a newly malloc'd buffer holding header + payload.
 * Returns NULL on allocation failure. The caller frees. */
uint8_t *frame_pack_request(const Huizong__Request *req, size_t *out_len);
uint8_t *frame_pack_response(const Huizong__Response *resp, size_t *out_len);

#endif
