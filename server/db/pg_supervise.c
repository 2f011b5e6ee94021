/* The supervisor is a small state machine on one timer: UP (checking the
 * postmaster), WAITING (back-off before the next attempt), STARTING (a
 * pg_ctl start child runs; reaped with WNOHANG on each tick). */
#include "db/pg_supervise.h"

#include <errno.h>
#include <event2/event.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include "log.h"

#define SUP_CHECK_MS 500
#define SUP_CHILD_POLL_MS 100
#define SUP_MAX_DELAY_MS 30000

typedef enum { SUP_UP, SUP_WAITING, SUP_STARTING } sup_state;

struct pg_supervisor {
    pg_embedded *pg;
    db *d;
    struct event *timer;
    sup_state state;
    unsigned long first_delay_ms, delay_ms;
    int attempt;        /* attempts since the cluster was last seen running */
    pid_t child;        /* pg_ctl start while STARTING */
};

static void sup_arm(pg_supervisor *s, unsigned long ms)
{
    struct timeval tv = {.tv_sec = (time_t)(ms / 1000), .tv_usec = (suseconds_t)(ms % 1000) * 1000};
    evtimer_add(s->timer, &tv);
}

static void sup_wait(pg_supervisor *s)
{
    s->state = SUP_WAITING;
    sup_arm(s, s->delay_ms);
}

static void sup_next_delay(pg_supervisor *s)
{
    s->delay_ms = s->delay_ms * 2 > SUP_MAX_DELAY_MS ? SUP_MAX_DELAY_MS : s->delay_ms * 2;
}

static void sup_is_up(pg_supervisor *s, const char *how)
{
    log_info("embedded PostgreSQL %s after %d attempt%s (postmaster %ld); reconnecting",
             how, s->attempt, s->attempt == 1 ? "" : "s", (long)pg_embedded_postmaster(s->pg));
    s->state = SUP_UP;
    s->attempt = 0;
    s->delay_ms = s->first_delay_ms;
    s->pg->started = 1;
    db_set_up(s->d);
    sup_arm(s, SUP_CHECK_MS);
}

static void sup_check(pg_supervisor *s)
{
    if (pg_embedded_postmaster(s->pg) > 0) {
        sup_arm(s, SUP_CHECK_MS);
        return;
    }
    log_warn("embedded PostgreSQL is not running (no live postmaster for %s); requests get "
             "UNAVAILABLE; restarting it in %lu ms", s->pg->datadir, s->delay_ms);
    db_set_down(s->d);
    sup_wait(s);
}

static void sup_attempt(pg_supervisor *s)
{
    char err[512];
    if (pg_embedded_postmaster(s->pg) > 0) { /* someone else started it */
        sup_is_up(s, "running again");
        return;
    }
    s->attempt++;
    pg_embedded_clear_stale_pid(s->pg);
    log_info("embedded PostgreSQL: restart attempt %d (pg_ctl start in %s)", s->attempt,
             s->pg->datadir);
    s->child = pg_embedded_spawn_start(s->pg, err, sizeof err);
    if (s->child < 0) {
        sup_next_delay(s);
        log_error("embedded PostgreSQL: restart attempt %d failed: %s; next in %lu ms",
                  s->attempt, err, s->delay_ms);
        sup_wait(s);
        return;
    }
    s->state = SUP_STARTING;
    sup_arm(s, SUP_CHILD_POLL_MS);
}

/* Reaps every child that has ended: pg_ctl, and postmasters handed to us as
 * their subreaper (their own parent, pg_ctl, exits at once). */
static int sup_reap(pg_supervisor *s, int *child_status)
{
    int status, got = 0;
    pid_t p;
    while ((p = waitpid(-1, &status, WNOHANG)) > 0)
        if (p == s->child) {
            *child_status = status;
            got = 1;
        }
    return got;
}

static void sup_child_done(pg_supervisor *s, int status)
{
    s->child = 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        sup_is_up(s, "restarted");
        return;
    }
    sup_next_delay(s);
    log_error("embedded PostgreSQL: restart attempt %d failed (pg_ctl start %s %d; see "
              "postgresql.log beside %s); next in %lu ms",
              s->attempt, WIFEXITED(status) ? "exit" : "signal",
              WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), s->pg->datadir,
              s->delay_ms);
    sup_wait(s);
}

static void sup_tick(evutil_socket_t fd, short what, void *arg)
{
    pg_supervisor *s = arg;
    int status = 0;
    (void)fd;
    (void)what;
    int child_ended = sup_reap(s, &status);
    switch (s->state) {
    case SUP_UP:
        sup_check(s);
        break;
    case SUP_WAITING:
        sup_attempt(s);
        break;
    case SUP_STARTING:
        if (child_ended)
            sup_child_done(s, status);
        else
            sup_arm(s, SUP_CHILD_POLL_MS);
        break;
    }
}

pg_supervisor *pg_supervise_start(struct event_base *base, pg_embedded *pg, db *d,
                                  unsigned long first_delay_ms)
{
    if (first_delay_ms == 0) {
        log_info("embedded PostgreSQL: not supervised (pg_restart_delay = 0)");
        return NULL;
    }
    pg_supervisor *s = calloc(1, sizeof *s);
    if (!s || !(s->timer = evtimer_new(base, sup_tick, s))) {
        free(s);
        log_error("embedded PostgreSQL: cannot allocate its supervisor");
        return NULL;
    }
    s->pg = pg;
    s->d = d;
    s->first_delay_ms = s->delay_ms = first_delay_ms;
    sup_arm(s, SUP_CHECK_MS);
    return s;
}

void pg_supervise_adopt(void)
{
    /* A postmaster outlives the pg_ctl that started it: as subreaper we
     * collect it when it dies, rather than an init that may leave a zombie. */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        log_warn("embedded PostgreSQL: cannot become subreaper: %s", strerror(errno));
}

void pg_supervise_stop(pg_supervisor *s)
{
    if (!s)
        return;
    if (s->child > 0) {
        int status;
        log_info("embedded PostgreSQL: waiting for the restart in progress before stopping");
        while (waitpid(s->child, &status, 0) < 0 && errno == EINTR)
            ;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            s->pg->started = 1;
    }
    event_free(s->timer);
    free(s);
}
