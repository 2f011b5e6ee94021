/* error_info.h - a refusal's reason code and arguments (Response.info,
 * FieldError.info) from what an SQL function returned. */
#ifndef HZ_ERROR_INFO_H
#define HZ_ERROR_INFO_H

#include <jansson.h>

#include "huizong.pb-c.h"

/* {"reason": "PERIOD_LOCKED", "metadata": {"period": "2020", ...}} as an
 * ErrorInfo in malloc'd memory (free it with
 * protobuf_c_message_free_unpacked(&info->base, NULL), or with the message
 * that holds it). NULL when j is not such an object or memory ran out: the
 * refusal then goes out with its English text alone. Metadata values that
 * are not strings are written as JSON. */
Huizong__ErrorInfo *error_info_from_json(const json_t *j);

/* Takes the "info" member out of a refusal or field error object (the
 * message converters do not know it): its ErrorInfo, or NULL without one. */
Huizong__ErrorInfo *error_info_take(json_t *obj);

#endif
