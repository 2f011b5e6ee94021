/* What the period commands (records, quotas, locks, corrections) share:
 * record files, comma lists, JSON output. */
#ifndef HZ_PERIOD_CLI_H
#define HZ_PERIOD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"
#include "huizong.pb-c.h"

/* A comma-separated list as a NULL-terminated malloc'd array of malloc'd
 * strings (free with period_list_free); *n set. NULL on allocation failure
 * or an empty item (reported, naming `opt`). */
char **period_list(const char *opt, const char *s, size_t *n);
void period_list_free(char **items);

/* The new content of one record from a JSON file: either a submit file
 * holding exactly one record, or one record object (its kind from a "kind"
 * key, else "indicator" means an indicator value, "level"/"issuer"/
 * "recipient" an honour, anything else an activity). record_id is set to
 * `record_id` (a different one in the file is an error). Returns 0 and
 * sets exactly one of the three, or HZ_EXIT_INPUT after reporting. */
int period_load_record(const char *path, const char *record_id, Huizong__Activity **act,
                       Huizong__IndicatorValue **iv, Huizong__Honor **hon);

/* "table" or "json"; returns 0, or -1 after reporting (naming cmd). */
int period_format(const char *cmd, const char *v, bool *json);

/* Writes m as indented JSON; each string field named in `json_fields`
 * (NULL-terminated) of every nested object is written as the JSON it holds.
 * Returns an exit code. */
int period_print_json(const ProtobufCMessage *m, const char *const *json_fields);

#endif
