/* Builders of heap-allocated Requests for integration tests. Every string and
 * array is malloc'd, so one rec_free (protobuf-c's free_unpacked) releases the
 * whole tree. Allocation failure aborts: these are tests. */
#ifndef HZ_IT_RECORDS_H
#define HZ_IT_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "huizong.pb-c.h"

#define REC_UUID_LEN 37

/* A random version-4 UUID. */
void rec_uuid(char out[REC_UUID_LEN]);

Huizong__Request *rec_request(uint64_t request_id);
void rec_free(Huizong__Request *r);

/* Replaces a string field with a copy of `value`. */
void rec_set(char **field, const char *value);
/* Appends a copy of `value` to a repeated string field. */
void rec_push(char ***items, size_t *n, const char *value);

/* Makes r a SubmitBatch request; returns the batch. */
Huizong__SubmitBatch *rec_submit(Huizong__Request *r);
/* Each appends a record with a fresh record_id. */
Huizong__Activity *rec_activity(Huizong__SubmitBatch *b, const char *unit, const char *date,
                                const char *category, int64_t participants,
                                const char *title);
Huizong__IndicatorValue *rec_indicator(Huizong__SubmitBatch *b, const char *unit,
                                       const char *indicator, const char *period,
                                       double value);
Huizong__Honor *rec_honor(Huizong__SubmitBatch *b, const char *unit, const char *date,
                          const char *title, const char *level);

/* Makes r a SummaryRequest; group_by values are appended with rec_group_by. */
Huizong__SummaryRequest *rec_summary(Huizong__Request *r, int32_t year, const char *unit);
void rec_group_by(Huizong__SummaryRequest *s, Huizong__GroupBy g);

#endif
