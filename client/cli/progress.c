/* The progress bar of long imports and syncs. */
#include "cli/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "i18n.h"

#define PROGRESS_AFTER_MS 1000
#define PROGRESS_EVERY_MS 100
#define PROGRESS_WIDTH 24

static long progress_ms(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * 1000L + (b->tv_nsec - a->tv_nsec) / 1000000L;
}

void progress_init(progress *p, const char *what)
{
    const char *term = getenv("TERM");

    memset(p, 0, sizeof *p);
    p->what = what;
    /* A dumb terminal cannot go back to the start of the line. */
    p->tty = isatty(STDERR_FILENO) && !(term && strcmp(term, "dumb") == 0);
    clock_gettime(CLOCK_MONOTONIC, &p->start);
}

static void progress_draw(progress *p, const struct timespec *now)
{
    size_t total = p->total ? p->total : p->queued;
    size_t fill = total ? p->acked * PROGRESS_WIDTH / total : 0;
    long ms = progress_ms(&p->start, now);
    char bar[PROGRESS_WIDTH + 1];

    if (fill > PROGRESS_WIDTH)
        fill = PROGRESS_WIDTH;
    memset(bar, '#', fill);
    memset(bar + fill, '-', PROGRESS_WIDTH - fill);
    bar[PROGRESS_WIDTH] = '\0';
    fputs("\r\033[K", stderr);
    fprintf(stderr, _("%s [%s] %zu/%zu acknowledged, %zu sent, %zu queued, %.0f records/s"),
            p->what, bar, p->acked, total, p->sent, p->queued,
            ms > 0 ? (double)(p->acked ? p->acked : p->queued) * 1000.0 / (double)ms : 0.0);
    fflush(stderr);
    p->shown = true;
    p->last = *now;
}

void progress_update(progress *p)
{
    struct timespec now;

    if (!p->tty)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (progress_ms(&p->start, &now) < PROGRESS_AFTER_MS)
        return;
    if (p->shown && progress_ms(&p->last, &now) < PROGRESS_EVERY_MS)
        return;
    progress_draw(p, &now);
}

void progress_done(progress *p)
{
    struct timespec now;

    if (!p->tty)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    /* Work that took over a second without a redraw still gets its final line. */
    if (!p->shown && progress_ms(&p->start, &now) < PROGRESS_AFTER_MS)
        return;
    progress_draw(p, &now);
    fputc('\n', stderr);
    p->shown = false;
}
