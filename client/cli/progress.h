/* A one-line progress bar on stderr for work that takes more than a second:
 * records queued, sent and acknowledged, and the rate. Drawn only when stderr
 * is a terminal; otherwise every call is a no-op, so logs and pipes stay clean. */
#ifndef HZ_PROGRESS_H
#define HZ_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef struct {
    bool tty;               /* stderr is a terminal */
    bool shown;             /* something was drawn: progress_done ends the line */
    struct timespec start, last;
    const char *what;       /* "import data.csv", "sync" */
    size_t total;           /* records expected (0: unknown yet) */
    size_t queued, sent, acked;
} progress;

void progress_init(progress *p, const char *what);
/* Redraws at most ten times a second, and only once a second has passed. */
void progress_update(progress *p);
/* Draws the final state (when anything was drawn, or the work took over a
 * second) and ends the line. */
void progress_done(progress *p);

#endif
