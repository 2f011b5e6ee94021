/* What changes between two versions of a record: one line per field whose
 * value differs, "field: old → new". Defaults ("", 0, false, [], absent)
 * count as empty, as the server compares content. */
#ifndef HZ_RECORD_DIFF_H
#define HZ_RECORD_DIFF_H

#include <stdio.h>

#include <jansson.h>

/* Writes each changed field of old → new, each line starting with indent;
 * record_id is not compared. Returns the number of fields that differ. */
size_t record_diff_print(FILE *f, const char *indent, const json_t *old, const json_t *new_);

/* The same, as "field old → new; field old → new" in buf (cut to len). */
size_t record_diff_line(char *buf, size_t len, const json_t *old, const json_t *new_);

#endif
