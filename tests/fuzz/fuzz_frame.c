/* The server's read path on untrusted bytes: frame header, protobuf unpack
 * of the Request, then the database-free validation of a SubmitBatch. */
#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "huizong.pb-c.h"
#include "validate.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t n = 0;
    if (frame_peek(data, size, HZ_DEFAULT_MAX_FRAME, &n) != FRAME_READY)
        return 0;
    Huizong__Request *req = huizong__request__unpack(NULL, n, data + 4);
    if (!req)
        return 0;
    if (req->body_case == HUIZONG__REQUEST__BODY_SUBMIT && req->submit) {
        validate_errors errs = {0};
        validate_batch(req->submit, 5000, &errs);
        validate_errors_free(&errs);
    }
    huizong__request__free_unpacked(req, NULL);
    return 0;
}
