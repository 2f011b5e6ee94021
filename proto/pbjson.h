/* Generic conversion between protobuf-c messages and JSON (jansson), driven by
 * the generated descriptors: keys are the .proto field names, enums are their
 * value names, 64-bit integers are JSON integers. Used for the server's SQL
 * arguments and results and for the client's JSON input and output. */
#ifndef HZ_PBJSON_H
#define HZ_PBJSON_H

#include <stddef.h>
#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

/* A new JSON object holding every field of m (unset oneof members omitted).
 * Returns NULL on allocation failure. */
json_t *pbjson_from_message(const ProtobufCMessage *m);

/* Builds a message of type `desc` from a JSON object, allocated with malloc so
 * protobuf_c_message_free_unpacked(msg, NULL) frees it. Keys not in the
 * message are ignored when `ignore_unknown`, else an error. Returns NULL with
 * err naming the path ("activities[2].participants: want an integer"). */
ProtobufCMessage *pbjson_to_message(const ProtobufCMessageDescriptor *desc, json_t *obj,
                                    int ignore_unknown, char *err, size_t errlen);

#endif
