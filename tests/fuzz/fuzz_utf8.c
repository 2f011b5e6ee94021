/* UTF-8 checks and terminal widths over arbitrary bytes. utf8_width reads a
 * NUL-terminated string, so it gets a terminated copy. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    utf8_valid((const char *)data, size);
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    utf8_width(s);
    utf8_valid(s, strlen(s));
    free(s);
    return 0;
}
