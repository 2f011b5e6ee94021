/* The .xlsx reader on untrusted bytes: the zip, the workbook, its
 * relationships, shared strings, styles and the sheet, first sheet and a
 * named one. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "import/import_xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const sheets[] = {NULL, "活动"};
    char err[512], *name;
    csv_table t;

    for (size_t i = 0; i < 2; i++) {
        if (xlsx_read((const char *)data, size, sheets[i], &t, &name, err, sizeof err) == 0)
            free(name);
        csv_free(&t);
    }
    return 0;
}
