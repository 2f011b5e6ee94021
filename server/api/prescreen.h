/* Replies to requests refused from their wire bytes, before they are
 * unpacked (proto/wirescan.h): the same responses the handlers give for the
 * same faults after unpacking. */
#ifndef HZ_API_PRESCREEN_H
#define HZ_API_PRESCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "conn/conn.h"
#include "validate.h"

/* Strings with control characters (ve: at least one error). A SubmitBatch
 * gets the batch refusal of its handler; another request
 * "FIELD: REASON" (a field of the request) or "KIND.FIELD: REASON; nothing
 * was written" (of a record in it), with every error as a field error. */
void prescreen_refuse_fields(conn *c, uint64_t request_id, uint32_t body,
                             const validate_errors *ve);
/* A SubmitBatch of more than max records: the batch refusal
 * "N records; at most MAX per batch". */
void prescreen_refuse_batch_size(conn *c, uint64_t request_id, size_t records, uint32_t max);

#endif
