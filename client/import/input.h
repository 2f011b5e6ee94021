/* Submit files: a JSON object {"activities": [...], "indicator_values": [...],
 * "honors": [...]} whose records use the proto field names of Activity,
 * IndicatorValue and Honor. Pure: reads only the FILE* or buffer given. */
#ifndef HZ_INPUT_H
#define HZ_INPUT_H

#include <stdio.h>
#include <stddef.h>

#include <jansson.h>

#include "huizong.pb-c.h"

#define INPUT_MAX_BYTES (64u << 20)
#define INPUT_UUID_LEN 37 /* 36 characters + NUL */

/* Parses a submit file into a batch. `name` prefixes every error message
 * ("data.json: activities[2].participants: want an integer"). Records
 * without unit_code get default_unit (NULL: that is an error); records
 * without record_id get input_record_id() of their content, so sending the
 * same file twice is idempotent. Returns 0 with *out set (free with
 * input_free), or -1 with err filled. */
int input_parse_buffer(const char *name, const char *buf, size_t len, const char *default_unit,
                       Huizong__SubmitBatch **out, char *err, size_t errlen);
int input_parse_file(FILE *f, const char *name, const char *default_unit,
                     Huizong__SubmitBatch **out, char *err, size_t errlen);
void input_free(Huizong__SubmitBatch *b);

/* Deterministic record id: a version-5-style UUID, SHA-1 over a fixed
 * namespace, the kind and the record's JSON (record_id removed, null values
 * dropped, keys sorted, compact). Returns 0, or -1 on allocation failure. */
int input_record_id(const char *kind, const json_t *record, char out[INPUT_UUID_LEN]);

size_t input_record_count(const Huizong__SubmitBatch *b);

#endif
