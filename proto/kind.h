/* The record kinds, in one table: the name errors and exports use
 * (FieldError.kind, "activity"), the JSON array and SubmitBatch field that
 * hold them ("activities"), and their message type. A kind's name is also
 * its field in RecordAmend and CorrectionFile. Batches list their records in
 * the table's order: activities, indicator values, honors. */
#ifndef HZ_KIND_H
#define HZ_KIND_H

#include <stddef.h>

#include "huizong.pb-c.h"

typedef enum { KIND_ACTIVITY, KIND_INDICATOR_VALUE, KIND_HONOR } kind_id;
#define KIND_COUNT 3

typedef struct {
    const char *name;  /* "activity", "indicator_value", "honor" */
    const char *array; /* "activities", "indicator_values", "honors" */
    const ProtobufCMessageDescriptor *desc;
} kind_info;

/* The kind k (0 <= k < KIND_COUNT). */
const kind_info *kind_get(kind_id k);
/* The kind named `name`, or -1 when it names none (NULL included). */
int kind_from_name(const char *name);
/* The JSON array a kind lives in, so errors point at a file's own names;
 * NULL for names that are not record kinds (errors of the request itself). */
const char *kind_array_name(const char *name);

/* Records of kind k in a batch, and the i-th of them (i < the count). */
size_t kind_batch_count(const Huizong__SubmitBatch *b, kind_id k);
const ProtobufCMessage *kind_batch_record(const Huizong__SubmitBatch *b, kind_id k, size_t i);
/* Records of every kind in a batch. */
size_t kind_batch_total(const Huizong__SubmitBatch *b);

/* The record_id and unit_code that a record of every kind carries. */
const char *kind_record_id(const ProtobufCMessage *record);
const char *kind_record_unit(const ProtobufCMessage *record);

#endif
