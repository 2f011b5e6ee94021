/* The record-kind table and access to a batch's records by kind. */
#include "kind.h"

#include <string.h>

static const kind_info kind_table[KIND_COUNT] = {
    [KIND_ACTIVITY] = { "activity", "activities", &huizong__activity__descriptor },
    [KIND_INDICATOR_VALUE] = { "indicator_value", "indicator_values",
                               &huizong__indicator_value__descriptor },
    [KIND_HONOR] = { "honor", "honors", &huizong__honor__descriptor },
};

const kind_info *kind_get(kind_id k)
{
    return &kind_table[k];
}

int kind_from_name(const char *name)
{
    for (int k = 0; name && k < KIND_COUNT; k++)
        if (strcmp(name, kind_table[k].name) == 0)
            return k;
    return -1;
}

const char *kind_array_name(const char *name)
{
    int k = kind_from_name(name);
    return k < 0 ? NULL : kind_table[k].array;
}

size_t kind_batch_count(const Huizong__SubmitBatch *b, kind_id k)
{
    switch (k) {
    case KIND_ACTIVITY:
        return b->n_activities;
    case KIND_INDICATOR_VALUE:
        return b->n_indicator_values;
    case KIND_HONOR:
        return b->n_honors;
    }
    return 0;
}

const ProtobufCMessage *kind_batch_record(const Huizong__SubmitBatch *b, kind_id k, size_t i)
{
    switch (k) {
    case KIND_ACTIVITY:
        return &b->activities[i]->base;
    case KIND_INDICATOR_VALUE:
        return &b->indicator_values[i]->base;
    case KIND_HONOR:
        return &b->honors[i]->base;
    }
    return NULL;
}

size_t kind_batch_total(const Huizong__SubmitBatch *b)
{
    return b->n_activities + b->n_indicator_values + b->n_honors;
}

/* Every record kind has the field; the descriptor says where it is. */
static const char *kind_record_string(const ProtobufCMessage *record, const char *name)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name(record->descriptor, name);
    return *(char *const *)((const char *)record + f->offset);
}

const char *kind_record_id(const ProtobufCMessage *record)
{
    return kind_record_string(record, "record_id");
}

const char *kind_record_unit(const ProtobufCMessage *record)
{
    return kind_record_string(record, "unit_code");
}
