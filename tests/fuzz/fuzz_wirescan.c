/* The wire walk before unpacking (proto/wirescan.h) on a Request payload,
 * then protobuf-c's own unpack within its budget (proto/pbbudget.h). The
 * walk must accept whatever protobuf-c unpacks: a payload protobuf-c takes
 * and the walk calls malformed is a finding (abort). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "huizong.pb-c.h"
#include "pbbudget.h"
#include "wirescan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wirescan_info info;
    validate_errors errs = {0};
    long found = wirescan_request(data, size, &info, &errs);
    if (found >= 0 && (size_t)found < errs.count)
        abort();
    validate_errors_free(&errs);

    pbbudget b;
    pbbudget_init(&b, size);
    Huizong__Request *req = huizong__request__unpack(&b.allocator, size, data);
    if (req) {
        if (found < 0 || (uint32_t)req->body_case != info.body || req->request_id != info.request_id)
            abort();
        huizong__request__free_unpacked(req, NULL);
    }
    return 0;
}
