/* The spool on disk: queue files atomically, list them oldest first, load,
 * remove on acknowledgement, move aside when rejected or damaged. */
#include "spool/spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "i18n.h"

void spool_names_free(spool_names *n)
{
    free(n->names);
    n->names = NULL;
    n->n = 0;
}

int spool_names_has(const spool_names *n, const char *name)
{
    for (size_t i = 0; n && i < n->n; i++)
        if (strcmp(n->names[i], name) == 0)
            return 1;
    return 0;
}

static int spool_names_add(spool_names *n, const char *name)
{
    char (*more)[SPOOL_NAME_MAX] = realloc(n->names, (n->n + 1) * sizeof *n->names);

    if (more == NULL)
        return -1;
    n->names = more;
    snprintf(n->names[n->n++], SPOOL_NAME_MAX, "%s", name);
    return 0;
}

void spool_batch_free(spool_batch *b)
{
    if (b->batch)
        huizong__submit_batch__free_unpacked(b->batch, NULL);
    free(b->lines);
    memset(b, 0, sizeof *b);
}

/* mkdir -p, 0700: the records may name residents. */
static int spool_mkdirs(const char *path, char *err, size_t errlen)
{
    char buf[4096];

    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) < 0 && errno != EEXIST)
            goto fail;
        *p = '/';
    }
    if (mkdir(buf, 0700) < 0 && errno != EEXIST)
        goto fail;
    return 0;
fail:
    snprintf(err, errlen, _("cannot create the spool folder %s: %s (see --spool or the spool "
             "key of client.conf)"), buf, strerror(errno));
    return -1;
}

int spool_prepare(const char *dir, char *err, size_t errlen)
{
    char sub[4200];

    if (spool_mkdirs(dir, err, errlen) < 0)
        return -1;
    snprintf(sub, sizeof sub, "%s/" SPOOL_REJECTED, dir);
    if (spool_mkdirs(sub, err, errlen) < 0)
        return -1;
    snprintf(sub, sizeof sub, "%s/" SPOOL_DAMAGED, dir);
    return spool_mkdirs(sub, err, errlen);
}

static int spool_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    int rc = fd >= 0 && fsync(fd) == 0 ? 0 : -1;

    if (fd >= 0)
        close(fd);
    return rc;
}

/* Writes all of buf to a new file and makes it durable. */
static int spool_write_file(const char *path, const uint8_t *buf, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), e;

    if (fd < 0)
        return -1;
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            goto fail;
        }
        buf += w;
        len -= (size_t)w;
    }
    if (fsync(fd) < 0)
        goto fail;
    return close(fd);
fail:
    e = errno;
    close(fd);
    errno = e;
    return -1;
}

void spool_slice(const Huizong__SubmitBatch *b, size_t start, size_t count,
                 Huizong__SubmitBatch *sub, uint32_t first[3])
{
    size_t base[3] = {0, b->n_activities, b->n_activities + b->n_indicator_values};
    size_t n[3] = {b->n_activities, b->n_indicator_values, b->n_honors};
    size_t from[3], got[3], end = start + count;

    for (int k = 0; k < 3; k++) {
        size_t lo = start > base[k] ? start : base[k];
        size_t hi = end < base[k] + n[k] ? end : base[k] + n[k];
        from[k] = hi > lo ? lo - base[k] : 0;
        got[k] = hi > lo ? hi - lo : 0;
        if (first)
            first[k] = (uint32_t)from[k];
    }
    huizong__submit_batch__init(sub);
    sub->n_activities = got[0];
    sub->activities = got[0] ? b->activities + from[0] : NULL;
    sub->n_indicator_values = got[1];
    sub->indicator_values = got[1] ? b->indicator_values + from[1] : NULL;
    sub->n_honors = got[2];
    sub->honors = got[2] ? b->honors + from[2] : NULL;
}

/* Sortable by age: seconds and nanoseconds, then pid and sequence. */
static void spool_new_name(char out[SPOOL_NAME_MAX], size_t seq)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(out, SPOOL_NAME_MAX, "%011lld%09ld-%ld-%04zu" SPOOL_SUFFIX, (long long)ts.tv_sec,
             ts.tv_nsec, (long)getpid(), seq);
}

static void spool_unlink_tmps(const char *dir, const spool_names *tmp)
{
    char path[4200];

    for (size_t i = 0; i < tmp->n; i++) {
        snprintf(path, sizeof path, "%s/.tmp-%s", dir, tmp->names[i]);
        unlink(path);
    }
}

static int spool_write_chunk(const char *dir, const char *name, const char *unit,
                             const char *source, const Huizong__SubmitBatch *sub,
                             const uint32_t *lines, char *err, size_t errlen)
{
    char path[4200];
    size_t len;
    uint8_t *buf = spool_encode(unit, source, time(NULL), sub, lines, &len);
    int rc;

    if (buf == NULL) {
        snprintf(err, errlen, _("out of memory while queueing records"));
        return -1;
    }
    snprintf(path, sizeof path, "%s/.tmp-%s", dir, name);
    rc = spool_write_file(path, buf, len);
    if (rc < 0)
        snprintf(err, errlen, _("cannot queue records in %s: writing %s: %s; nothing was queued"),
                 dir, path, strerror(errno));
    free(buf);
    return rc;
}

/* Renames every written temporary file into place, then makes it durable. */
static int spool_commit(const char *dir, const spool_names *tmp, spool_names *created,
                        char *err, size_t errlen)
{
    char from[4200], to[4200];

    for (size_t i = 0; i < tmp->n; i++) {
        snprintf(from, sizeof from, "%s/.tmp-%s", dir, tmp->names[i]);
        snprintf(to, sizeof to, "%s/%s", dir, tmp->names[i]);
        if (rename(from, to) < 0) {
            snprintf(err, errlen, _("cannot queue records in %s: rename %s: %s"), dir, from,
                     strerror(errno));
            for (size_t j = 0; j < i; j++) { /* undo: nothing half-queued */
                snprintf(to, sizeof to, "%s/%s", dir, tmp->names[j]);
                unlink(to);
            }
            return -1;
        }
    }
    if (spool_fsync_dir(dir) < 0) {
        snprintf(err, errlen, _("cannot queue records in %s: fsync: %s"), dir, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < tmp->n; i++)
        if (spool_names_add(created, tmp->names[i]) < 0) {
            snprintf(err, errlen, _("out of memory"));
            return -1;
        }
    return 0;
}

int spool_put(const char *dir, const char *unit, const char *source,
              const Huizong__SubmitBatch *b, const uint32_t *lines, size_t max,
              spool_names *created, char *err, size_t errlen)
{
    size_t total = spool_batch_count(b);
    spool_names tmp = {0};
    int rc = 0;

    /* A file size limit must be an error we report, not a silent death. */
    signal(SIGXFSZ, SIG_IGN);
    if (spool_prepare(dir, err, errlen) < 0)
        return -1;
    for (size_t start = 0, seq = 0; start < total && rc == 0; start += max, seq++) {
        Huizong__SubmitBatch sub;
        char name[SPOOL_NAME_MAX];

        spool_slice(b, start, total - start < max ? total - start : max, &sub, NULL);
        spool_new_name(name, seq);
        if (spool_names_add(&tmp, name) < 0) {
            snprintf(err, errlen, _("out of memory"));
            rc = -1;
            break;
        }
        rc = spool_write_chunk(dir, name, unit, source, &sub, lines ? lines + start : NULL, err,
                               errlen);
    }
    if (rc == 0)
        rc = spool_commit(dir, &tmp, created, err, errlen);
    spool_unlink_tmps(dir, &tmp);
    spool_names_free(&tmp);
    return rc;
}

static int spool_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

int spool_list(const char *dir, const char *sub, spool_names *out, char *err, size_t errlen)
{
    char path[4200];
    struct dirent *e;
    DIR *d;

    out->names = NULL;
    out->n = 0;
    snprintf(path, sizeof path, "%s%s%s", dir, sub ? "/" : "", sub ? sub : "");
    if ((d = opendir(path)) == NULL) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, _("cannot read the spool folder %s: %s"), path, strerror(errno));
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name), s = strlen(SPOOL_SUFFIX);
        /* .tmp- files are batches whose writer failed or died: never queued. */
        if (e->d_name[0] == '.' || n <= s || n >= SPOOL_NAME_MAX ||
            strcmp(e->d_name + n - s, SPOOL_SUFFIX) != 0)
            continue;
        if (spool_names_add(out, e->d_name) < 0) {
            closedir(d);
            spool_names_free(out);
            snprintf(err, errlen, _("out of memory"));
            return -1;
        }
    }
    closedir(d);
    if (out->n)
        qsort(out->names, out->n, sizeof *out->names, spool_cmp);
    return 0;
}

static uint8_t *spool_read_all(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    uint8_t *buf = NULL;

    if (f == NULL || fstat(fileno(f), &st) < 0) {
        snprintf(err, errlen, _("cannot read %s: %s"), path, strerror(errno));
    } else if ((size_t)st.st_size > SPOOL_MAX_FILE) {
        snprintf(err, errlen, _("%s: larger than %u MiB"), path, SPOOL_MAX_FILE >> 20);
    } else if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
        snprintf(err, errlen, _("out of memory"));
    } else if ((*len = fread(buf, 1, (size_t)st.st_size, f)) != (size_t)st.st_size) {
        snprintf(err, errlen, _("cannot read %s: short read"), path);
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    return buf;
}

int spool_load(const char *dir, const char *sub, const char *name, int with_body,
               spool_batch *out, char *err, size_t errlen)
{
    char path[4300];
    size_t len = 0;
    uint8_t *buf;
    int rc;

    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", name);
    snprintf(path, sizeof path, "%s%s%s/%s", dir, sub ? "/" : "", sub ? sub : "", name);
    if ((buf = spool_read_all(path, &len, err, errlen)) == NULL)
        return -1;
    rc = spool_decode(buf, len, with_body, out, err, errlen);
    free(buf);
    return rc;
}

int spool_remove(const char *dir, const char *name, char *err, size_t errlen)
{
    char path[4200];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (unlink(path) < 0 && errno != ENOENT) {
        snprintf(err, errlen, _("cannot remove the sent batch %s: %s"), path, strerror(errno));
        return -1;
    }
    spool_fsync_dir(dir);
    return 0;
}

static int spool_write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    int ok = f && fputs(text, f) >= 0;

    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

int spool_move(const char *dir, const char *name, const char *sub, const char *note,
               char *err, size_t errlen)
{
    char from[4200], to[4300], txt[4300];

    snprintf(from, sizeof from, "%s/%s", dir, name);
    snprintf(to, sizeof to, "%s/%s/%s", dir, sub, name);
    snprintf(txt, sizeof txt, "%s/%s/%.*s.txt", dir, sub,
             (int)(strlen(name) - strlen(SPOOL_SUFFIX)), name);
    /* The note first: a batch set aside always says why. */
    if ((note && spool_write_text(txt, note) < 0) || rename(from, to) < 0) {
        snprintf(err, errlen, _("cannot move %s to %s/%s: %s"), from, dir, sub, strerror(errno));
        return -1;
    }
    spool_fsync_dir(dir);
    return 0;
}

static char *spool_slurp_text(const char *path)
{
    size_t len = 0;
    char err[16];
    char *s = (char *)spool_read_all(path, &len, err, sizeof err);

    if (s)
        s[len] = '\0';
    return s;
}

char *spool_note(const char *dir, const char *sub, const char *name)
{
    char txt[4300];

    snprintf(txt, sizeof txt, "%s/%s/%.*s.txt", dir, sub,
             (int)(strlen(name) - strlen(SPOOL_SUFFIX)), name);
    return spool_slurp_text(txt);
}

void spool_last_error_set(const char *dir, const char *message)
{
    char path[4200], text[2048], when[32];
    time_t now = time(NULL);

    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&now));
    snprintf(text, sizeof text, "%s  %s\n", when, message);
    snprintf(path, sizeof path, "%s/last_error", dir);
    spool_write_text(path, text);
}

void spool_last_error_clear(const char *dir)
{
    char path[4200];

    snprintf(path, sizeof path, "%s/last_error", dir);
    unlink(path);
}

char *spool_last_error(const char *dir)
{
    char path[4200];

    snprintf(path, sizeof path, "%s/last_error", dir);
    return spool_slurp_text(path);
}

int spool_file_replace(const char *dir, const char *name, const char *text, char *err,
                       size_t errlen)
{
    char tmp[4200], path[4200];

    if (spool_prepare(dir, err, errlen) < 0)
        return -1;
    snprintf(tmp, sizeof tmp, "%s/.tmp-%s.%ld", dir, name, (long)getpid());
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(tmp);
    if (spool_write_file(tmp, (const uint8_t *)text, strlen(text)) < 0 ||
        rename(tmp, path) < 0) {
        snprintf(err, errlen, _("cannot write %s: %s"), path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    spool_fsync_dir(dir);
    return 0;
}

char *spool_file_read(const char *dir, const char *name)
{
    char path[4200];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return spool_slurp_text(path);
}
