/* A memory budget for unpacking one message: a ProtobufCAllocator that
 * refuses once the bytes asked for during the unpack pass a limit
 * proportional to the frame, so a small frame cannot make protobuf-c spend
 * large memory (1 MiB of empty submessages unpacks to ~95 MB). protobuf-c
 * then returns NULL, as for malformed input: pbbudget_exhausted() tells the
 * two apart. What counts is the memory live during the unpack, by malloc's
 * usable size. */
#ifndef HZ_PBBUDGET_H
#define HZ_PBBUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

/* limit = PBBUDGET_PER_BYTE x frame bytes + PBBUDGET_BASE, from measurement
 * (tests/unit/test_pbbudget.c, glibc malloc, live bytes per wire byte): a
 * full batch of minimal records 4.6-5.6; the most a valid batch can reach,
 * 1 MiB of activities each with 3 x 50 empty list entries, 14.2; empty
 * Activity submessages (the attack), ~96. The constant covers small
 * requests (a Hello takes ~150 bytes). */
#define PBBUDGET_PER_BYTE 16u
#define PBBUDGET_BASE (64u << 10)

typedef struct {
    ProtobufCAllocator allocator; /* pass &b.allocator to *__unpack */
    size_t limit;
    size_t used;                  /* bytes live now (malloc's usable size) */
    size_t peak;                  /* the most live at once */
    bool exhausted;               /* an allocation was refused for the limit */
} pbbudget;

/* The limit for a frame of `frame_bytes` (saturating). */
size_t pbbudget_limit(size_t frame_bytes);
/* A budget of pbbudget_limit(frame_bytes). */
void pbbudget_init(pbbudget *b, size_t frame_bytes);
/* A budget of exactly `limit` bytes (tests). */
void pbbudget_init_limit(pbbudget *b, size_t limit);
bool pbbudget_exhausted(const pbbudget *b);

#endif
