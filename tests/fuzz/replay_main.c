/* Replays a fuzz target without libFuzzer, so every build (gcc, ASan+UBSan)
 * runs it under ctest: each file of the corpus directories given, then
 * HZ_FUZZ_MUTATIONS deterministic mutations of them (fixed seed: a failure
 * reproduces on every machine). Usage: replay DIR... */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HZ_FUZZ_MUTATIONS 2000u
#define HZ_FUZZ_MAX_INPUT (64u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    uint8_t *data;
    size_t size;
} seed;

typedef struct {
    seed *items;
    size_t n, cap;
} seeds;

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

/* xorshift64*: small, fixed, the same on every platform. */
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static int read_file(const char *path, seed *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    uint8_t *buf = malloc(HZ_FUZZ_MAX_INPUT);
    size_t n = buf ? fread(buf, 1, HZ_FUZZ_MAX_INPUT, f) : 0;
    fclose(f);
    if (!buf)
        return -1;
    out->data = buf;
    out->size = n;
    return 0;
}

static int add_dir(const char *dir, seeds *s)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "replay: cannot open corpus directory %s\n", dir);
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 16;
            seed *items = realloc(s->items, cap * sizeof *items);
            if (!items)
                break;
            s->items = items;
            s->cap = cap;
        }
        if (read_file(path, &s->items[s->n]) == 0)
            s->n++;
    }
    closedir(d);
    return 0;
}

/* One to four edits of a copy of the seed: flip a bit, set a byte to a
 * boundary value, truncate, insert random bytes, duplicate a slice. */
static size_t mutate(const seed *in, uint8_t *out, size_t cap)
{
    size_t n = in->size < cap ? in->size : cap;
    memcpy(out, in->data, n);
    static const uint8_t edge[] = {0x00, 0x01, 0x7f, 0x80, 0xff, '"', ',', '\n', '{', '}', '=', '#'};
    unsigned edits = 1 + (unsigned)(rng() % 4);
    for (unsigned k = 0; k < edits; k++) {
        size_t pos = n ? (size_t)(rng() % n) : 0;
        switch (rng() % 5) {
        case 0:
            if (n)
                out[pos] ^= (uint8_t)(1u << (rng() % 8));
            break;
        case 1:
            if (n)
                out[pos] = edge[rng() % sizeof edge];
            break;
        case 2:
            n = n ? (size_t)(rng() % n) : 0;
            break;
        case 3: {
            size_t add = 1 + (size_t)(rng() % 8);
            if (n + add > cap)
                break;
            memmove(out + pos + add, out + pos, n - pos);
            for (size_t i = 0; i < add; i++)
                out[pos + i] = (uint8_t)rng();
            n += add;
            break;
        }
        default: {
            size_t len = n - pos < 16 ? n - pos : 16;
            if (n + len > cap)
                break;
            memmove(out + pos + len, out + pos, n - pos);
            n += len;
            break;
        }
        }
    }
    return n;
}

static void run_exact(const uint8_t *data, size_t size)
{
    /* A private copy so reads past the end are caught by ASan. */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return;
    memcpy(copy, data, size);
    LLVMFuzzerTestOneInput(copy, size);
    free(copy);
}

int main(int argc, char **argv)
{
    seeds s = {0};
    for (int i = 1; i < argc; i++)
        if (add_dir(argv[i], &s) != 0)
            return 1;
    if (s.n == 0) {
        fprintf(stderr, "replay: no corpus files (usage: replay DIR...)\n");
        return 1;
    }
    for (size_t i = 0; i < s.n; i++)
        run_exact(s.items[i].data, s.items[i].size);
    uint8_t *buf = malloc(HZ_FUZZ_MAX_INPUT * 2);
    if (!buf)
        return 1;
    for (unsigned m = 0; m < HZ_FUZZ_MUTATIONS; m++) {
        const seed *in = &s.items[rng() % s.n];
        size_t n = mutate(in, buf, HZ_FUZZ_MAX_INPUT * 2);
        run_exact(buf, n);
    }
    free(buf);
    for (size_t i = 0; i < s.n; i++)
        free(s.items[i].data);
    free(s.items);
    printf("replay: %zu corpus files, %u mutations\n", s.n, HZ_FUZZ_MUTATIONS);
    return 0;
}
