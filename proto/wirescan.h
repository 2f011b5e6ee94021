/* A walk over the wire bytes of a Request, before protobuf-c unpacks it:
 * what must be known while the bytes and their lengths are still at hand.
 * - request_id and body: to answer a request refused here.
 * - records: how many records a SubmitBatch holds (its repeated record
 *   fields counted), so an oversized batch is refused without unpacking it.
 * - control characters in string fields: protobuf-c hands strings to C as
 *   NUL-terminated copies, so a NUL inside one would silently cut it short;
 *   each string is checked here against its declared length
 *   (validate_control_at, validate_field_multiline).
 * A pure function of its input bytes (fuzzed by tests/fuzz/fuzz_wirescan.c).
 * Whatever protobuf-c can unpack, this accepts; it may accept more (a wire
 * type that does not match the field's type), which the unpack then refuses. */
#ifndef HZ_WIRESCAN_H
#define HZ_WIRESCAN_H

#include <stddef.h>
#include <stdint.h>

#include "validate.h"

typedef struct {
    uint64_t request_id;
    uint32_t body;        /* field number of the Request body (its body case); 0: none */
    size_t records;       /* records of a SubmitBatch body; 0 for other bodies */
} wirescan_info;

/* Walks one Request of `len` bytes. Every string field that holds a control
 * character adds one error to errs (may be NULL: only counted): for a
 * record, kind and index are the record's (activity 3), else kind is
 * "request"; field is the field's proto name; for an entry of a repeated
 * string, index is the entry's (kind "request") or the reason names it.
 * Returns the number of such errors, or -1 when the bytes are not a
 * protobuf message (truncated, a bad tag or length, an unsupported wire
 * type, nesting deeper than the contract has). */
long wirescan_request(const uint8_t *buf, size_t len, wirescan_info *info,
                      validate_errors *errs);

#endif
