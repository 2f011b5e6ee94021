/* `key = value` files, with the typed helpers run over every value seen. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_setting(void *ctx, const char *key, const char *value, int lineno,
                        char *err, size_t errlen)
{
    (void)ctx;
    (void)lineno;
    int b;
    unsigned long u;
    conf_parse_bool(value, &b);
    conf_parse_uint(value, 65535, &u);
    conf_parse_duration_ms(value, &u);
    /* A callback that refuses a key exercises the error path too. */
    if (strcmp(key, "reject") == 0) {
        if (errlen)
            err[0] = '\0';
        return -1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    conf_parse_buffer((const char *)data, size, fuzz_setting, NULL, err, sizeof err);
    return 0;
}
