/* Field validation of requests, shared by the server (authoritative) and the
 * client (early, friendlier errors). Checks what can be checked without the
 * database: syntax of ids, dates and periods, ranges, lengths, UTF-8.
 * Codes that need the database (category, indicator, unit) are checked there. */
#ifndef HZ_VALIDATE_H
#define HZ_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "huizong.pb-c.h"

#define VALIDATE_MAX_TEXT 4000u   /* bytes of a free-text field (summary) */
#define VALIDATE_MAX_SHORT 200u   /* bytes of a code, title, name */
#define VALIDATE_MAX_LIST 50u     /* entries of partners, tags, beneficiaries */

typedef struct {
    const char *kind;   /* "activity", "indicator_value", "honor", "request" */
    uint32_t index;     /* index of the record within its kind */
    const char *field;  /* "date", "participants", ... (static string) */
    char reason[160];
} validate_error;

typedef struct {
    validate_error *items;
    size_t count;
    size_t cap;
    size_t max;         /* stop collecting after this many (0: 100) */
} validate_errors;

void validate_errors_free(validate_errors *e);

/* Each returns true when valid. */
bool validate_uuid(const char *s);            /* 8-4-4-4-12 hex */
bool validate_date(const char *s);            /* YYYY-MM-DD, a real calendar day */
bool validate_partial_date(const char *s);    /* YYYY-MM-DD, YYYY-MM or YYYY */
/* Years outside VALIDATE_YEAR_MIN..VALIDATE_YEAR_MAX are typing errors in
 * this domain, not history. The SQL functions keep the same range
 * (hz_year_error, sql/005_access.sql). */
#define VALIDATE_YEAR_MIN 1900
#define VALIDATE_YEAR_MAX 2999
bool validate_year_number(long y);

/* "2020" (year), "2020-Q2" (quarter), "2020-06" (month). Writes the type
 * letter 'y', 'q' or 'm' into *type when non-NULL. */
bool validate_period(const char *s, char *type);
bool validate_code(const char *s);            /* code_valid() of common/code.h */
/* An org unit level: city, district, street, community or grid. */
bool validate_level(const char *s);
#define VALIDATE_LEVELS "city, district, street, community or grid"
bool validate_utf8(const char *s, size_t max_bytes);

/* Control characters in strings. Codes, ids, dates, names and list entries
 * are one line: no C0 control character (U+0000..U+001F) and no DEL. Free
 * text people write (an activity's title, location, organiser and summary,
 * an honour's title, issuer and recipient, a value's note, the reason of a
 * change, a CSR in PEM) may also hold TAB and LF. Hello.client_name is not
 * checked: it only labels the connection in the log, which escapes it. */
typedef enum { VALIDATE_ONE_LINE, VALIDATE_MULTI_LINE, VALIDATE_UNCHECKED } validate_text_rule;
#define VALIDATE_CONTROL_REASON "must not hold control characters"
#define VALIDATE_CONTROL_REASON_TEXT "must not hold control characters other than tab and line feed"
/* The rule of string field `field` (proto name) of message d. */
validate_text_rule validate_field_rule(const ProtobufCMessageDescriptor *d, const char *field);
/* Offset of the first byte of s[0..len) the rule refuses, or -1. */
long validate_control_at(const char *s, size_t len, validate_text_rule rule);
/* The reason an error names for a field of that rule. */
const char *validate_control_reason(validate_text_rule rule);
/* Appends one error (kind and field: static strings); false when errs is
 * full (errs->max, 0: 100) or out of memory. */
bool validate_errors_add(validate_errors *e, const char *kind, uint32_t index, const char *field,
                         const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Validates every record of a batch; appends one error per bad field.
 * Returns the number of errors appended (0: the batch is well-formed).
 * max_records bounds the total count of records (0: no bound). */
size_t validate_batch(const Huizong__SubmitBatch *b, uint32_t max_records,
                      validate_errors *errs);
/* The bound on a batch's records (0: none): appends the error and returns
 * false when `total` is over it. Also checked on the wire, before a batch is
 * unpacked (wirescan.h). */
bool validate_batch_size(size_t total, uint32_t max_records, validate_errors *errs);

#endif
