/* Submit files: JSON text -> SubmitBatch (with derived record ids), then the
 * same validation the client runs before sending. */
#include <stddef.h>
#include <stdint.h>

#include "import/input.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Huizong__SubmitBatch *b = NULL;
    char err[512];
    if (input_parse_buffer("fuzz.json", (const char *)data, size, "fuzz-unit", &b, err,
                           sizeof err) != 0)
        return 0;
    input_record_count(b);
    validate_errors errs = {0};
    validate_batch(b, 5000, &errs);
    validate_errors_free(&errs);
    input_free(b);
    return 0;
}
