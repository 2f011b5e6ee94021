/* The client's import path up to the cells: decode (auto, UTF-8, GB18030),
 * parse the CSV, and run every cell parser on every field. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_csv.h"
#include "import/import_text.h"
#include "import/import_value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_cell(const char *cell)
{
    char date[11], period[8];
    int64_t n;
    bool b;
    double d;
    const char *code;
    iv_date(cell, false, date);
    iv_date(cell, true, date);
    iv_period(cell, period);
    iv_participants(cell, &n, &b);
    iv_number(cell, &d);
    iv_category(cell, &code);
    iv_indicator(cell, &code);
    iv_level(cell, &code);
    iv_bool(cell, &b);
    char **items = NULL;
    int k = iv_list(cell, &items);
    for (int i = 0; i < k; i++)
        free(items[i]);
    free(items);
    char *copy = strdup(cell);
    if (copy) {
        iv_trim(copy);
        free(copy);
    }
}

static void fuzz_text(const char *text, size_t len)
{
    csv_table t = {0};
    char err[256];
    if (csv_parse(text, len, &t, err, sizeof err) == 0) {
        for (size_t r = 0; r < t.n; r++)
            for (size_t f = 0; f < t.rows[r].n; f++)
                fuzz_cell(t.rows[r].fields[f]);
    }
    csv_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const encodings[] = {"auto", "utf-8", "gb18030"};
    /* The first byte picks the encoding; the rest is the file. */
    const char *enc = size ? encodings[data[0] % 3] : "auto";
    const char *buf = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    char *out = NULL, err[256];
    size_t outlen = 0;
    const char *used = NULL;
    if (import_decode(buf, len, enc, &out, &outlen, &used, err, sizeof err) == 0)
        fuzz_text(out, outlen);
    free(out);
    return 0;
}
