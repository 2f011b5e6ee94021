/* The ingest load generator of `make bench` (bench/bench_ingest.sh): N
 * community clients, one thread and one mTLS connection each (the client's
 * own net module: TCP, TLS, Hello, framing), each sending its batches one
 * after another and timing each until its acknowledgement. The records are
 * what an office files: Chinese titles of about 40 characters, dates over
 * 2021 (or --year), several categories, unique ids, all derived from
 * --seed, so the same options give the same rows. --mix gives the counts an
 * office really reports: some not given, some lower bounds ("45余人");
 * --indicators adds, after its activities, one batch per client of its
 * unit's indicator values of the year (monthly briefs, opinion reports and
 * volunteers, quarterly research reports), some periods left unreported, as
 * quotas and completeness read them. With --copy-out / --insert-out /
 * --json-out it writes those rows instead (PostgreSQL text COPY, one INSERT
 * per line, huizong submit files), for the baselines measured beside it.
 *
 * Prints one line: records=… seconds=… rate=… p50_ms=… p99_ms=… max_ms=…
 * failed=… client_rss_kb=…; exits 1 when any batch was not acknowledged OK. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <jansson.h>

#include "cli/cconf.h"
#include "huizong.pb-c.h"
#include "net/net.h"
#include "pbjson.h"

typedef struct {
    const char *server, *creds, *out_copy, *out_insert, *out_json;
    char **units;
    int n_units, clients, batches, records;
    int year, mix, indicators;
    unsigned seed;
    double rate;            /* records/s over all clients; 0: as fast as acknowledged */
} lg_opts;

typedef struct {
    const lg_opts *o;
    int idx;
    double *lat_ms;         /* one per batch */
    int failed;
    char err[256];
} lg_client;

static pthread_barrier_t lg_start;

static double lg_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* splitmix64: the rows are a pure function of (seed, client, batch, index). */
static uint64_t lg_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static const char *const lg_categories[] = {"theory", "civility", "youth", "volunteer", "visit",
                                            "culture", "legal", "fire", "antidrug", "news"};
static const char *const lg_lead[] = {"社区新时代文明实践站组织", "社区党支部联合共建单位开展",
                                      "社区网格员和志愿者队伍开展", "社区妇联与辖区学校联合举办"};
static const char *const lg_what[] = {"入户走访慰问困难群众和空巢老人活动", "消防安全知识宣传暨应急疏散演练活动",
                                      "禁毒宣传进校园进楼院主题教育活动", "学习贯彻党的理论精神专题宣讲报告会",
                                      "邻里守望志愿服务暨环境卫生整治行动"};
static const char *const lg_where[] = {"社区党群服务中心", "社区活动室", "辖区小学", "小区广场"};

/* --mix: of every 100 activities 6 without a count, 10 with a lower bound
 * (45+ most often), the rest exact. */
static void lg_mix_count(uint64_t h, Huizong__Activity *a)
{
    static const int64_t bounds[] = {45, 45, 30, 40, 50, 100};
    unsigned r = (unsigned)((h >> 40) % 100);

    if (r < 6) {
        a->participants = 0;
        a->participants_unknown = 1;
    } else if (r < 16) {
        a->participants = bounds[(h >> 50) % 6];
        a->participants_at_least = 1;
    }
}

/* Fills activity a (strings malloc'd) for record k of batch b of client c. */
static void lg_activity(const lg_opts *o, int c, int b, int k, Huizong__Activity *a)
{
    uint64_t h = lg_mix(((uint64_t)o->seed << 48) ^ ((uint64_t)c << 32) ^ ((uint64_t)b << 20) ^ (uint64_t)k);
    uint64_t h2 = lg_mix(h);
    char id[40], date[16], title[200];
    struct tm tm = {.tm_year = o->year - 1900, .tm_mon = 0, .tm_mday = 1 + (int)(h % 365), .tm_hour = 12};

    snprintf(id, sizeof id, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(h >> 32),
             (unsigned)(h >> 16) & 0xffff, (unsigned)h & 0xfff, 0x8000 | ((unsigned)(h2 >> 48) & 0x3fff),
             (unsigned long long)(h2 & 0xffffffffffffull));
    mktime(&tm);
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    snprintf(title, sizeof title, "%s%s第%d期", lg_lead[h2 % 4], lg_what[(h2 >> 8) % 5], k % 90 + 1);
    huizong__activity__init(a);
    a->record_id = strdup(id);
    a->unit_code = strdup(o->units[c % o->n_units]);
    a->date = strdup(date);
    a->category = strdup(lg_categories[(h >> 40) % 10]);
    a->title = strdup(title);
    a->location = strdup(lg_where[(h2 >> 16) % 4]);
    a->participants = (int64_t)(5 + (h2 >> 24) % 300);
    if (o->mix)
        lg_mix_count(h2, a);
    if (!a->record_id || !a->unit_code || !a->date || !a->category || !a->title || !a->location) {
        fprintf(stderr, "loadgen: out of memory\n");
        exit(2);
    }
}

/* Batch b of client c as a SubmitBatch request (free with free_unpacked). */
static Huizong__Request *lg_batch(const lg_opts *o, int c, int b)
{
    Huizong__Request *r = malloc(sizeof *r);
    Huizong__SubmitBatch *s = malloc(sizeof *s);
    Huizong__Activity **acts = calloc((size_t)o->records, sizeof *acts);

    if (!r || !s || !acts) {
        fprintf(stderr, "loadgen: out of memory\n");
        exit(2);
    }
    huizong__request__init(r);
    huizong__submit_batch__init(s);
    for (int k = 0; k < o->records; k++) {
        if (!(acts[k] = malloc(sizeof *acts[k]))) {
            fprintf(stderr, "loadgen: out of memory\n");
            exit(2);
        }
        lg_activity(o, c, b, k, acts[k]);
    }
    s->activities = acts;
    s->n_activities = (size_t)o->records;
    r->body_case = HUIZONG__REQUEST__BODY_SUBMIT;
    r->submit = s;
    return r;
}

/* The indicators of --indicators: code, periods a year (12: months, 4: quarters). */
static const struct { const char *code; int periods; } lg_indicators[] = {
    {"briefs", 12}, {"opinion_reports", 12}, {"volunteers", 12}, {"research_reports", 4}};

/* Client c's indicator values of the year: about one period in eight not
 * reported. Returns the request (free with free_unpacked). */
static Huizong__Request *lg_indicator_batch(const lg_opts *o, int c)
{
    Huizong__Request *r = malloc(sizeof *r);
    Huizong__SubmitBatch *s = malloc(sizeof *s);
    Huizong__IndicatorValue **v = calloc(40, sizeof *v);
    size_t n = 0;

    if (!r || !s || !v) {
        fprintf(stderr, "loadgen: out of memory\n");
        exit(2);
    }
    huizong__request__init(r);
    huizong__submit_batch__init(s);
    for (size_t i = 0; i < sizeof lg_indicators / sizeof lg_indicators[0]; i++) {
        for (int p = 0; p < lg_indicators[i].periods; p++) {
            uint64_t h = lg_mix(((uint64_t)o->seed << 48) ^ ((uint64_t)c << 32) ^ (0xfffull << 20) ^
                                (i << 8) ^ (uint64_t)p);
            uint64_t h2 = lg_mix(h);
            char id[40], period[24];
            if (h2 % 8 == 0)
                continue;
            snprintf(id, sizeof id, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(h >> 32),
                     (unsigned)(h >> 16) & 0xffff, (unsigned)h & 0xfff,
                     0x8000 | ((unsigned)(h2 >> 48) & 0x3fff), (unsigned long long)(h2 & 0xffffffffffffull));
            if (lg_indicators[i].periods == 12)
                snprintf(period, sizeof period, "%04d-%02d", o->year, p + 1);
            else
                snprintf(period, sizeof period, "%04d-Q%d", o->year, p + 1);
            Huizong__IndicatorValue *x = malloc(sizeof *x);
            if (!x) {
                fprintf(stderr, "loadgen: out of memory\n");
                exit(2);
            }
            huizong__indicator_value__init(x);
            x->record_id = strdup(id);
            x->unit_code = strdup(o->units[c % o->n_units]);
            x->indicator = strdup(lg_indicators[i].code);
            x->period = strdup(period);
            x->value = (double)((h2 >> 8) % 6);
            if (!x->record_id || !x->unit_code || !x->indicator || !x->period) {
                fprintf(stderr, "loadgen: out of memory\n");
                exit(2);
            }
            v[n++] = x;
        }
    }
    s->indicator_values = v;
    s->n_indicator_values = n;
    r->body_case = HUIZONG__REQUEST__BODY_SUBMIT;
    r->submit = s;
    return r;
}

/* Sleeps until `at` (monotonic seconds); the pacing of --rate. */
static void lg_sleep_until(double at)
{
    double d = at - lg_now();
    if (d <= 0)
        return;
    struct timespec ts = {.tv_sec = (time_t)d, .tv_nsec = (long)((d - (double)(time_t)d) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Batch b (b == o->batches: the indicator batch of --indicators), timed
 * until its acknowledgement into cl->lat_ms[b]. */
static int lg_send(lg_client *cl, net_conn *conn, int b, double start)
{
    const lg_opts *o = cl->o;
    Huizong__Request *req = b < o->batches ? lg_batch(o, cl->idx, b) : lg_indicator_batch(o, cl->idx);
    Huizong__Response *resp = NULL;
    uint32_t want = (uint32_t)(req->submit->n_activities + req->submit->n_indicator_values);

    if (o->rate > 0) /* the clients' sends interleave evenly at the total rate */
        lg_sleep_until(start + ((double)b * o->clients + cl->idx) * o->records / o->rate);
    double t0 = lg_now();
    int rc = net_call(conn, req, &resp, cl->err, sizeof cl->err);
    cl->lat_ms[b] = (lg_now() - t0) * 1000.0;
    int ok = rc == 0 && resp->status == HUIZONG__STATUS__OK && resp->submit &&
             resp->submit->accepted + resp->submit->duplicates == want;
    if (rc == 0 && !ok)
        snprintf(cl->err, sizeof cl->err, "batch %d: status %d: %s", b, (int)resp->status,
                 resp->message ? resp->message : "");
    if (resp)
        huizong__response__free_unpacked(resp, NULL);
    huizong__request__free_unpacked(req, NULL);
    return ok ? 0 : -1;
}

static void *lg_client_run(void *arg)
{
    lg_client *cl = arg;
    const lg_opts *o = cl->o;
    const char *unit = o->units[cl->idx % o->n_units];
    char cert[1024], key[1024], ca[1024];
    cconf cfg = {.timeout_ms = 600000};
    net_conn *conn = NULL;

    snprintf(cert, sizeof cert, "%s/%s/client.crt", o->creds, unit);
    snprintf(key, sizeof key, "%s/%s/client.key", o->creds, unit);
    snprintf(ca, sizeof ca, "%s/%s/ca.crt", o->creds, unit);
    cfg.server = (char *)o->server;
    cfg.cert = cert;
    cfg.key = key;
    cfg.ca = ca;
    int rc = net_open(&cfg, &conn, cl->err, sizeof cl->err);
    pthread_barrier_wait(&lg_start);
    double start = lg_now();
    if (rc != 0)
        cl->failed = o->batches;
    for (int b = 0; rc == 0 && b < o->batches; b++)
        cl->failed += lg_send(cl, conn, b, start) != 0;
    /* Not timed into the latencies: its own kind of batch, after the others. */
    if (rc == 0 && o->indicators)
        cl->failed += lg_send(cl, conn, o->batches, start) != 0;
    if (conn)
        net_close(conn);
    return NULL;
}

static int lg_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int lg_run(const lg_opts *o)
{
    int n = o->clients, total = n * o->batches;
    lg_client *cl = calloc((size_t)n, sizeof *cl);
    pthread_t *th = calloc((size_t)n, sizeof *th);
    /* One spare per client for the indicator batch, not counted below. */
    double *lat = calloc((size_t)n * (o->batches + 1), sizeof *lat);
    int failed = 0;

    if (!cl || !th || !lat || pthread_barrier_init(&lg_start, NULL, (unsigned)n + 1) != 0)
        return 2;
    for (int i = 0; i < n; i++) {
        cl[i] = (lg_client){.o = o, .idx = i, .lat_ms = lat + (size_t)i * (o->batches + 1)};
        if (pthread_create(&th[i], NULL, lg_client_run, &cl[i]) != 0)
            return 2;
    }
    pthread_barrier_wait(&lg_start);
    double t0 = lg_now();
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        failed += cl[i].failed;
        if (cl[i].failed)
            fprintf(stderr, "loadgen: client %d (%s): %d batch(es) failed: %s\n", i,
                    o->units[i % o->n_units], cl[i].failed, cl[i].err);
    }
    double secs = lg_now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    for (int i = 0; i < n; i++) /* the activity batches, packed */
        memmove(lat + (size_t)i * o->batches, lat + (size_t)i * (o->batches + 1),
                (size_t)o->batches * sizeof *lat);
    qsort(lat, (size_t)total, sizeof *lat, lg_cmp);
    long records = (long)(total - failed) * o->records;
    printf("records=%ld seconds=%.3f rate=%.0f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f failed=%d "
           "client_rss_kb=%ld\n", records, secs, (double)records / secs, lat[(total - 1) / 2],
           lat[(int)((total - 1) * 0.99)], lat[total - 1], failed, ru.ru_maxrss);
    free(cl);
    free(th);
    free(lat);
    return failed ? 1 : 0;
}

/* s as the body of a PostgreSQL literal in COPY text (no tab, newline or
 * backslash can occur in the generated rows; this keeps it so). */
static void lg_put_copy_text(FILE *f, const char *s)
{
    for (; *s; s++)
        fputs(*s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : (char[2]){*s, 0}, f);
}

static void lg_put_sql_text(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++)
        fputs(*s == '\'' ? "''" : (char[2]){*s, 0}, f);
    fputc('\'', f);
}

/* One row: record_id, unit_code, date, category_code, title, location,
 * participants, content (the record as JSON, as the server stores it). */
static void lg_write_row(FILE *copy, FILE *ins, const Huizong__Activity *a)
{
    json_t *j = pbjson_from_message(&a->base);
    char *content = j ? json_dumps(j, JSON_COMPACT) : NULL;
    const char *text[] = {a->record_id, a->unit_code, a->date, a->category, a->title, a->location};

    if (!content) {
        fprintf(stderr, "loadgen: out of memory\n");
        exit(2);
    }
    for (int i = 0; copy && i < 6; i++) {
        lg_put_copy_text(copy, text[i]);
        fputc('\t', copy);
    }
    if (copy) {
        fprintf(copy, "%lld\t", (long long)a->participants);
        lg_put_copy_text(copy, content);
        fputc('\n', copy);
    }
    if (ins) {
        fputs("INSERT INTO bench_insert (record_id, unit_code, date, category_code, title, location, "
              "participants, content) VALUES (", ins);
        for (int i = 0; i < 6; i++) {
            lg_put_sql_text(ins, text[i]);
            fputs(", ", ins);
        }
        fprintf(ins, "%lld, ", (long long)a->participants);
        lg_put_sql_text(ins, content);
        fputs(");\n", ins);
    }
    free(content);
    json_decref(j);
}

/* Client c's batches as one huizong submit file (json_out/<unit>-<c>.json). */
static int lg_write_json(const lg_opts *o, int c)
{
    char path[1024];
    json_t *acts = json_array();

    for (int b = 0; b < o->batches; b++) {
        Huizong__Request *r = lg_batch(o, c, b);
        for (size_t k = 0; k < r->submit->n_activities; k++)
            json_array_append_new(acts, pbjson_from_message(&r->submit->activities[k]->base));
        huizong__request__free_unpacked(r, NULL);
    }
    snprintf(path, sizeof path, "%s/%s-%d.json", o->out_json, o->units[c % o->n_units], c);
    json_t *doc = json_pack("{s:o}", "activities", acts);
    int rc = doc && json_dump_file(doc, path, JSON_COMPACT) == 0 ? 0 : -1;
    json_decref(doc);
    return rc;
}

static int lg_write(const lg_opts *o)
{
    FILE *copy = o->out_copy ? fopen(o->out_copy, "w") : NULL;
    FILE *ins = o->out_insert ? fopen(o->out_insert, "w") : NULL;
    int rc = 0;

    if ((o->out_copy && !copy) || (o->out_insert && !ins)) {
        perror("loadgen: cannot write");
        return 2;
    }
    for (int c = 0; c < o->clients && rc == 0; c++) {
        if (o->out_json)
            rc = lg_write_json(o, c);
        for (int b = 0; (copy || ins) && b < o->batches; b++) {
            Huizong__Request *r = lg_batch(o, c, b);
            for (size_t k = 0; k < r->submit->n_activities; k++)
                lg_write_row(copy, ins, r->submit->activities[k]);
            huizong__request__free_unpacked(r, NULL);
        }
    }
    if ((copy && fclose(copy) != 0) || (ins && fclose(ins) != 0))
        rc = -1;
    return rc == 0 ? 0 : 2;
}

static void lg_usage(void)
{
    fprintf(stderr,
            "usage: loadgen --units U1,U2,... --clients N --batches K --records R [--seed S]\n"
            "               [--year YYYY] [--mix] [--indicators]\n"
            "               (--server HOST:PORT --creds DIR [--rate RECORDS_PER_S]\n"
            "                | [--copy-out FILE] [--insert-out FILE] [--json-out DIR])\n"
            "Client i is unit U(i mod count), with DIR/<unit>/client.crt, client.key, ca.crt.\n");
}

static int lg_split_units(char *list, lg_opts *o)
{
    for (char *p = strtok(list, ","); p; p = strtok(NULL, ",")) {
        char **u = realloc(o->units, (size_t)(o->n_units + 1) * sizeof *u);
        if (!u)
            return -1;
        o->units = u;
        o->units[o->n_units++] = p;
    }
    return o->n_units > 0 ? 0 : -1;
}

static int lg_parse(int argc, char **argv, lg_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i];
        if (!strcmp(k, "--mix")) { o->mix = 1; continue; }
        if (!strcmp(k, "--indicators")) { o->indicators = 1; continue; }
        if (i + 1 >= argc)
            return -1;
        const char *v = argv[++i];
        if (!strcmp(k, "--server")) o->server = v;
        else if (!strcmp(k, "--creds")) o->creds = v;
        else if (!strcmp(k, "--units")) { if (lg_split_units(argv[i], o) != 0) return -1; }
        else if (!strcmp(k, "--clients")) o->clients = atoi(v);
        else if (!strcmp(k, "--batches")) o->batches = atoi(v);
        else if (!strcmp(k, "--records")) o->records = atoi(v);
        else if (!strcmp(k, "--seed")) o->seed = (unsigned)strtoul(v, NULL, 10);
        else if (!strcmp(k, "--rate")) o->rate = atof(v);
        else if (!strcmp(k, "--year")) o->year = atoi(v);
        else if (!strcmp(k, "--copy-out")) o->out_copy = v;
        else if (!strcmp(k, "--insert-out")) o->out_insert = v;
        else if (!strcmp(k, "--json-out")) o->out_json = v;
        else return -1;
    }
    return o->year >= 1900 && o->year < 10000 && o->n_units > 0 && o->clients > 0 &&
                   o->batches > 0 && o->records > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    lg_opts o = {.seed = 1, .year = 2021};

    if (lg_parse(argc, argv, &o) != 0) {
        lg_usage();
        return 2;
    }
    int rc;
    if (o.out_copy || o.out_insert || o.out_json)
        rc = lg_write(&o);
    else if (o.server && o.creds)
        rc = lg_run(&o);
    else {
        lg_usage();
        rc = 2;
    }
    free(o.units);
    return rc;
}
