/* The options of people's tables that export and summary share:
 * --encoding utf-8|gb18030, --headers zh|en, --no-bom, --section NAME. */
#ifndef HZ_CMD_SHEET_H
#define HZ_CMD_SHEET_H

#include <stdbool.h>

#include "render/sheet.h"

typedef struct {
    const char *encoding, *headers, *section;
    bool no_bom;
} sheet_args;

/* One of the options at argv[*i]: 1 taken, 0 not one of them, -1 missing
 * value (reported), as cli_take_value. */
int sheet_args_take(sheet_args *s, int argc, char **argv, int *i);

/* Whether any of them was given. */
bool sheet_args_given(const sheet_args *s);

/* The machine CSV (the unchanged layout scripts read: English field names,
 * UTF-8 without a byte-order mark, every section in one stream) is what
 * --headers en --no-bom without --section asks for. */
bool sheet_args_machine(const sheet_args *s);

/* Checks the values (cmd names the command in messages; section_known
 * checks --section) and fills st for CSV, or a workbook when xlsx.
 * Returns HZ_EXIT_OK or HZ_EXIT_USAGE (reported). */
int sheet_args_style(const char *cmd, const sheet_args *s, bool xlsx,
                     int (*section_known)(const char *), const char *sections, sheet_style *st);

#endif
