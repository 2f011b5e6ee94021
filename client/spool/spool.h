/* The local spool: records wait here, one file per batch, from the moment a
 * command accepts them until the server has acknowledged their commit. A file
 * is written to a temporary name, fsync'd, renamed into place and the folder
 * fsync'd, so a crash leaves either the whole batch or none of it; a trailer
 * (length and SHA-256) shows a file damaged after the fact. Layout and
 * behaviour: docs/spool.md. */
#ifndef HZ_SPOOL_H
#define HZ_SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "huizong.pb-c.h"

#define SPOOL_SUFFIX ".hzb"
#define SPOOL_REJECTED "rejected"
#define SPOOL_DAMAGED "damaged"
#define SPOOL_NAME_MAX 96
#define SPOOL_UNIT_MAX 201
#define SPOOL_MAX_FILE (512u << 20)

typedef struct {
    char name[SPOOL_NAME_MAX];   /* file name inside its folder */
    char unit[SPOOL_UNIT_MAX];   /* unit of the certificate that queued it */
    char source[1024];           /* file or command the records came from */
    time_t queued;               /* when it entered the spool */
    size_t records;
    Huizong__SubmitBatch *batch; /* NULL unless loaded with the body */
    uint32_t *lines;             /* source line of each record in batch order
                                  * (activities, indicator values, honours); may be NULL */
    size_t n_lines;
} spool_batch;

typedef struct {
    char (*names)[SPOOL_NAME_MAX];
    size_t n;
} spool_names;

void spool_names_free(spool_names *n);
int spool_names_has(const spool_names *n, const char *name);

/* Makes the folder and its rejected/ and damaged/ subfolders. Returns 0, or
 * -1 with err filled. */
int spool_prepare(const char *dir, char *err, size_t errlen);

/* Queues b as files of at most `max` records each: all of them or, on any
 * failure (full disk, quota, I/O), none, with err naming what failed.
 * `lines` (may be NULL) gives each record's source line. The names written
 * are appended to *created. Returns 0 or -1. */
int spool_put(const char *dir, const char *unit, const char *source,
              const Huizong__SubmitBatch *b, const uint32_t *lines, size_t max,
              spool_names *created, char *err, size_t errlen);

/* The batch files of dir/sub (sub NULL: the queue itself), oldest first. */
int spool_list(const char *dir, const char *sub, spool_names *out, char *err, size_t errlen);

/* Reads one file of dir/sub. with_body: also decode the records. Returns 0,
 * -1 when it cannot be read (err: why), -2 when it is damaged (err: how). */
int spool_load(const char *dir, const char *sub, const char *name, int with_body,
               spool_batch *out, char *err, size_t errlen);
void spool_batch_free(spool_batch *b);

/* The batch was acknowledged: removes it for good. Returns 0 or -1. */
int spool_remove(const char *dir, const char *name, char *err, size_t errlen);
/* Moves a batch to dir/sub (rejected, damaged) with a note NAME.txt beside it. */
int spool_move(const char *dir, const char *name, const char *sub, const char *note,
               char *err, size_t errlen);
/* The note of a moved batch (malloc'd), NULL when there is none. */
char *spool_note(const char *dir, const char *sub, const char *name);

/* The last error met while sending, with its time; cleared by a sync that
 * leaves nothing queued. */
void spool_last_error_set(const char *dir, const char *message);
void spool_last_error_clear(const char *dir);
char *spool_last_error(const char *dir); /* malloc'd "TIME  MESSAGE", or NULL */

/* A small file of the spool folder other than a batch (the taxonomy cache):
 * replaced atomically (temporary file, fsync, rename, folder fsync'd), so a
 * reader sees the old text or the new. Returns 0, or -1 with err filled. */
int spool_file_replace(const char *dir, const char *name, const char *text, char *err,
                       size_t errlen);
/* Its text (malloc'd), NULL when there is none. */
char *spool_file_read(const char *dir, const char *name);

size_t spool_batch_count(const Huizong__SubmitBatch *b);

/* Records [start, start+count) of b across kinds (activities, then indicator
 * values, then honours) into sub, which borrows b's records. first[] (when
 * not NULL) gets each kind's offset in b, for shifting the indexes of the
 * server's errors back. */
void spool_slice(const Huizong__SubmitBatch *b, size_t start, size_t count,
                 Huizong__SubmitBatch *sub, uint32_t first[3]);



/* The file format (spool_format.c), pure functions of their input:
 *   "HZSPOOL1", u32 header length, header (JSON: unit, source, queued,
 *   records, lines), u32 body length, body (packed SubmitBatch),
 *   trailer: "HZSPEND1", u64 length of everything before it, SHA-256 of it.
 * All integers big-endian. */
uint8_t *spool_encode(const char *unit, const char *source, time_t queued,
                      const Huizong__SubmitBatch *b, const uint32_t *lines, size_t *len);
/* Returns 0, or -2 with err saying how the image is damaged. */
int spool_decode(const uint8_t *buf, size_t len, int with_body, spool_batch *out, char *err,
                 size_t errlen);
#endif
