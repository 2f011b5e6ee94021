/* The budgeted allocator of an unpack (pbbudget.h). Its blocks come from
 * malloc, so what it unpacked is freed with *__free_unpacked(m, NULL). */
#include "pbbudget.h"

#include <malloc.h>
#include <stdlib.h>

/* Live bytes as malloc counts them (its usable size), so a 1-byte string
 * costs what it really takes, and protobuf-c's scratch freed mid-unpack
 * (the field lists of each submessage) is given back to the budget. */
static void *pbbudget_alloc(void *data, size_t size)
{
    pbbudget *b = data;
    void *p = size <= b->limit - b->used ? malloc(size) : NULL;
    size_t got = p ? malloc_usable_size(p) : 0;

    if (p && got <= b->limit - b->used) {
        b->used += got;
        if (b->used > b->peak)
            b->peak = b->used;
        return p;
    }
    free(p);
    b->exhausted = true;
    return NULL;
}

static void pbbudget_free(void *data, void *p)
{
    pbbudget *b = data;

    if (p)
        b->used -= malloc_usable_size(p);
    free(p);
}

size_t pbbudget_limit(size_t frame_bytes)
{
    if (frame_bytes > (SIZE_MAX - PBBUDGET_BASE) / PBBUDGET_PER_BYTE)
        return SIZE_MAX;
    return frame_bytes * PBBUDGET_PER_BYTE + PBBUDGET_BASE;
}

void pbbudget_init_limit(pbbudget *b, size_t limit)
{
    b->allocator.alloc = pbbudget_alloc;
    b->allocator.free = pbbudget_free;
    b->allocator.allocator_data = b;
    b->limit = limit;
    b->used = 0;
    b->peak = 0;
    b->exhausted = false;
}

void pbbudget_init(pbbudget *b, size_t frame_bytes)
{
    pbbudget_init_limit(b, pbbudget_limit(frame_bytes));
}

bool pbbudget_exhausted(const pbbudget *b)
{
    return b->exhausted;
}
