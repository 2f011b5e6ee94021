/* JSON text -> jansson -> a protobuf message, as the server reads SQL results
 * and the client reads its input, as a Request and as a Response; then back
 * to JSON, to walk what was built. */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "huizong.pb-c.h"
#include "pbjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *root = json_loadb((const char *)data, size, JSON_DECODE_ANY, &jerr);
    if (!root)
        return 0;
    char err[256];
    /* The first byte-parity picks strict or lenient keys, so both paths run. */
    int lenient = size > 0 && (data[0] & 1);
    ProtobufCMessage *m = pbjson_to_message(&huizong__request__descriptor, root, lenient,
                                            err, sizeof err);
    if (m) {
        json_t *back = pbjson_from_message(m);
        json_decref(back);
        protobuf_c_message_free_unpacked(m, NULL);
    }
    /* The server reads SQL results into Response bodies, ignoring unknown keys. */
    m = pbjson_to_message(&huizong__response__descriptor, root, 1, err, sizeof err);
    if (m)
        protobuf_c_message_free_unpacked(m, NULL);
    json_decref(root);
    return 0;
}
