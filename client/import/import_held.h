/* What the server holds, against the rows of a sheet: which row is a held
 * record unchanged, an edit of one (an amend), a new record, or a probable
 * edit (no id, but the natural key of exactly one held record). The server
 * is the truth: records change by amends, approved corrections and other
 * machines, so the index is built from its RecordList answer. */
#ifndef HZ_IMPORT_HELD_H
#define HZ_IMPORT_HELD_H

#include <stdbool.h>

#include <jansson.h>

#include "huizong.pb-c.h"

/* HELD_SUPERSEDED: the row is an earlier version of a held record (its
 * content-derived id is held with other content, or its 记录编号's older
 * version has its content): a stale sheet, not an edit, so nothing is sent. */
typedef enum {
    HELD_NEW = 0, HELD_UNCHANGED, HELD_AMEND, HELD_PROBABLE, HELD_SUPERSEDED
} held_verdict;

/* Contents are kept as the server's JSON text and parsed only for the rows
 * that meet them, so a community's year costs its text, not a tree. */
typedef struct {
    json_t *by_id;  /* record_id -> content text (current version) */
    json_t *old;    /* record_id -> array of the content texts of older versions */
    json_t *by_key; /* natural key -> array of record ids (live records) */
} held_index;

int held_init(held_index *h);
void held_free(held_index *h);

/* Adds a RecordList answer (with or without versions). Returns 0 or -1 (memory). */
int held_add(held_index *h, const Huizong__RecordListResult *r);

/* Same content as the server compares it: key order, default values
 * ("", 0, false, [], null) and record_id ignored; 82 equals 82.0. */
bool held_same_content(const json_t *a, const json_t *b);

/* The verdict on one record of kind `kind` ("activity", "indicator_value",
 * "honor"), given as its wire JSON (pbjson of the message). `explicit_id`:
 * the row carried its id (记录编号) rather than one derived from its
 * content. For HELD_PROBABLE, *other is the held record's id (valid while h
 * lives). */
held_verdict held_classify(const held_index *h, const char *kind, const json_t *rec,
                           bool explicit_id, const char **other);

/* The current content of a held record (a new reference: json_decref it),
 * or NULL when it is not held. */
json_t *held_content(const held_index *h, const char *record_id);

/* The natural key of a record: "unit|date|category|title" for activities
 * and honours, "unit|indicator|period" for indicator values. Returns 0, or
 * -1 when it does not fit. */
int held_key(const char *kind, const json_t *rec, char *buf, size_t len);

#endif
