/* huizong import FILE.csv --type activity|indicator|honor: a sheet exported
 * by Excel, checked whole (every error in one run), then queued and sent
 * through the spool like submit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/diag.h"
#include "i18n.h"
#include "cmd/cmd.h"
#include "cmd/import_compare.h"
#include "import/import_check.h"
#include "import/import_map.h"
#include "import/import_text.h"
#include "import/import_value.h"
#include "import/import_xlsx.h"
#include "import/input.h"
#include "net/session.h"
#include "net/taxonomy_cache.h"
#include "spool/spool_report.h"
#include "spool/spool_unit.h"
#include "validate.h"
#include "i18n.h"

typedef struct {
    const char *path, *type, *encoding, *sheet;
    bool template, english, bom, skip_invalid, check, refresh_taxonomy, as_new;
    import_kind kind;
} import_args;

void cmd_import_help(FILE *f)
{
    fputs(_("usage: huizong [GLOBAL OPTIONS] import FILE.csv --type activity|indicator|honor\n"
          "                [--encoding auto|utf-8|gb18030] [--skip-invalid] [--check]\n"
          "       huizong [GLOBAL OPTIONS] import FILE.xlsx --type activity|indicator|honor\n"
          "                [--sheet NAME] [--skip-invalid] [--check]\n"
          "       huizong import --template --type activity|indicator|honor [--english] [--bom]\n"
          "\n"
          "Reads a sheet saved by Excel as CSV: UTF-8 (with or without BOM) or GB18030/GBK\n"
          "(found by itself: text that is valid UTF-8 is UTF-8, else GB18030; --encoding\n"
          "overrides). The first row names the columns, in Chinese or as proto field names:\n"
          "  activity:  日期 类别 标题 地点 参与人数 共建单位 组织者 简介 (标签 受益人\n"
          "             单位代码) 记录编号\n"
          "  indicator: 指标 期间 数值 备注 记录编号\n"
          "  honor:     日期 荣誉 级别 颁发单位 获奖者 类别 记录编号\n"
          "Dates: 2020-04-14, 2020/4/14, 2020.4.14, 2020年4月14日. Categories and\n"
          "indicators: code or Chinese name, as the server lists them (cached in the spool\n"
          "folder for a day; --refresh-taxonomy fetches them again; offline without a\n"
          "cache, the built-in names). 参与人数 40余人 or 40+ means at least 40; a\n"
          "blank 参与人数 (or 未报, 不详) is a count not reported, never 0.\n"
          "The rows are compared with the records the server holds (its current\n"
          "versions, for the years of the sheet): a row whose 记录编号 is held and whose\n"
          "content differs is sent as an amend (a new version); an unchanged row is\n"
          "a duplicate; a row without 记录编号 whose unit, date, category and title (an\n"
          "indicator's period) match exactly one held record with other content is a\n"
          "probable edit: reported with both rows and not added unless --as-new. The\n"
          "summary line says \"498 unchanged, 1 amended, 1 new\". `huizong list --format\n"
          "csv` writes a sheet with the ids (the round trip: docs/spool.md).\n"
          "Lists (共建单位) are separated by 、 or commas.\n"
          "Every error is listed with line, column and the value found; nothing is queued\n"
          "from a file with errors unless --skip-invalid (then only the valid rows go).\n"
          "An Excel workbook (.xlsx) is read as it is, without saving it as CSV: its\n"
          "first sheet (or --sheet NAME), the same header row and values; a date may be\n"
          "an Excel date cell or text; a title merged across the columns above the\n"
          "header is skipped, a merged cell counts in each of its rows. Errors name the\n"
          "sheet, row, column letter and header.\n"
          "--check only checks. Records go through the spool like submit (docs/spool.md).\n"
          "--template prints the header row (--english: field names; --bom: with a UTF-8\n"
          "byte-order mark, so that Excel opens it right).\n"),
          f);
}

static int import_flag(void *ctx, int argc, char **argv, int *i)
{
    import_args *a = ctx;
    static const struct {
        const char *name;
        size_t off;
    } flags[] = {
        {"--template", offsetof(import_args, template)},
        {"--english", offsetof(import_args, english)},
        {"--bom", offsetof(import_args, bom)},
        {"--skip-invalid", offsetof(import_args, skip_invalid)},
        {"--check", offsetof(import_args, check)},
        {"--refresh-taxonomy", offsetof(import_args, refresh_taxonomy)},
        {"--as-new", offsetof(import_args, as_new)},
    };
    int r;

    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
        if (strcmp(argv[*i], flags[k].name) == 0) {
            *(bool *)((char *)a + flags[k].off) = true;
            return 1;
        }
    if ((r = cli_take_value("--type", argc, argv, i, &a->type)) != 0)
        return r;
    if ((r = cli_take_value("--sheet", argc, argv, i, &a->sheet)) != 0)
        return r;
    return cli_take_value("--encoding", argc, argv, i, &a->encoding);
}

static int import_parse_args(cli_globals *g, int argc, char **argv, import_args *a)
{
    int rc = cli_parse("import", g, argc, argv, import_flag, a, &a->path, 1);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (a->type == NULL || import_kind_parse(a->type, &a->kind) < 0) {
        if (a->type)
            diag_error(_("import: --type %s: want --type activity, indicator or honor"), a->type);
        else
            diag_error(_("import: missing --type: want --type activity, indicator or honor"));
        return HZ_EXIT_USAGE;
    }
    if (a->encoding && import_encoding_known(a->encoding) < 0) {
        diag_error(_("import: --encoding %s: want auto, utf-8 or gb18030 (gbk)"), a->encoding);
        return HZ_EXIT_USAGE;
    }
    if (!a->template && a->path == NULL) {
        diag_error(_("import: missing FILE.csv (see huizong import --help)"));
        return HZ_EXIT_USAGE;
    }
    return HZ_EXIT_OK;
}

static char *import_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long size;

    if (f == NULL) {
        diag_error("%s: %s", path, strerror(errno));
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && size <= (long)INPUT_MAX_BYTES &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1)) != NULL &&
        fread(buf, 1, (size_t)size, f) == (size_t)size) {
        *len = (size_t)size;
    } else {
        diag_error(_("%s: cannot read it (at most %u MiB)"), path, INPUT_MAX_BYTES >> 20);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static void import_tick(void *ctx, size_t rows)
{
    progress *pg = ctx;

    pg->queued = rows;
    progress_update(pg);
}

/* The file's rows: a workbook's sheet, or CSV text in whatever encoding. */
static int import_rows(const import_args *a, const char *raw, size_t len, csv_table *t,
                       char **sheet)
{
    size_t tlen;
    char *text = NULL, err[1024];
    const char *used = "";
    int rc = -1;

    *sheet = NULL;
    if (len >= 8 && memcmp(raw, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        /* OLE2: Excel 97-2003, or a workbook with a password to open it. */
        diag_error(_("%s: an Excel 97-2003 workbook (.xls) or one protected by a password: "
                     "save it in Excel as .xlsx without a password to open, or as CSV"), a->path);
        return -1;
    }
    size_t plen = strlen(a->path);
    if (!xlsx_is_zip(raw, len) && plen > 5 && strcasecmp(a->path + plen - 5, ".xlsx") == 0) {
        diag_error(_("%s: not an Excel workbook (.xlsx): it is not a zip archive"), a->path);
        return -1;
    }
    if (xlsx_is_zip(raw, len)) {
        if ((rc = xlsx_read(raw, len, a->sheet, t, sheet, err, sizeof err)) < 0)
            diag_error("%s: %s", a->path, err);
        return rc;
    }
    if (a->sheet)
        diag_error(_("%s: --sheet is for an Excel workbook (.xlsx); this file is text (CSV)"),
                   a->path);
    else if (import_decode(raw, len, a->encoding, &text, &tlen, &used, err, sizeof err) < 0)
        diag_error("%s: %s", a->path, err);
    else if (csv_parse(text, tlen, t, err, sizeof err) < 0)
        diag_error("%s: %s", a->path, err);
    else
        rc = 0;
    free(text);
    return rc;
}

/* File bytes into the mapped sheet; HZ_EXIT_OK even with row errors. */
static int import_load(const import_args *a, import_sheet *s, progress *pg)
{
    size_t len;
    char *raw = import_read(a->path, &len), *sheet = NULL;
    csv_table t = {0};
    int rc = HZ_EXIT_INPUT;

    memset(s, 0, sizeof *s);
    if (raw == NULL)
        return HZ_EXIT_INPUT;
    if (import_rows(a, raw, len, &t, &sheet) == 0) {
        int mapped = import_map(s, &t, a->kind, a->path, import_tick, pg);
        s->sheet = sheet;
        sheet = NULL;
        if (mapped < 0)
            import_errors_print(s);
        else
            rc = HZ_EXIT_OK;
    }
    progress_update(pg);
    free(raw);
    free(sheet);
    csv_free(&t);
    return rc;
}

/* The records as a submit file's JSON, through the same parser, so derived
 * record ids are those `submit` would give the same records. */
static int import_batch(import_sheet *s, const char *unit, Huizong__SubmitBatch **b)
{
    json_t *root = json_pack("{s:O}", import_kind_json_array(s->kind), s->records);
    char *text = root ? json_dumps(root, JSON_COMPACT) : NULL, err[1024];
    int rc = text ? input_parse_buffer(s->name, text, strlen(text), *unit ? unit : NULL, b, err,
                                       sizeof err)
                  : -1;

    if (rc < 0)
        diag_error("%s", text ? err : "out of memory");
    free(text);
    json_decref(root);
    return rc;
}

/* Reports the errors; with --skip-invalid drops the bad records. Returns
 * HZ_EXIT_OK when what is left may be queued. */
static int import_verdict(const import_args *a, import_sheet *s, Huizong__SubmitBatch **b,
                          const char *unit, unsigned char *bad)
{
    if (s->n_errors == 0)
        return HZ_EXIT_OK;
    import_errors_print(s);
    size_t rows = import_bad_rows(s);
    if (!a->skip_invalid) {
        diag_error(_("%s: %zu error%s in %zu row%s; nothing queued (fix them, or --skip-invalid "
                   "to queue only the valid rows)"), a->path, s->n_errors,
                   s->n_errors == 1 ? "" : "s", rows, rows == 1 ? "" : "s");
        return HZ_EXIT_INPUT;
    }
    import_drop_bad(s, bad);
    input_free(*b);
    *b = NULL;
    diag_error(_("%s: skipping %zu invalid row%s (--skip-invalid)"), a->path, rows,
               rows == 1 ? "" : "s");
    if (s->n == 0) {
        diag_error(_("%s: no valid rows left; nothing queued"), a->path);
        return HZ_EXIT_INPUT;
    }
    return import_batch(s, unit, b) < 0 ? HZ_EXIT_INPUT : HZ_EXIT_OK;
}

/* Maps the sheet with the server's names. A name the cache does not know
 * may be one the district just added: fetch once more and map again. */
static int import_load_named(const cconf *cfg, const import_args *a, import_sheet *s,
                             progress *pg)
{
    int fresh, again;
    json_t *tax = taxonomy_get(cfg, a->refresh_taxonomy, &fresh);

    iv_use_taxonomy(tax);
    int rc = import_load(a, s, pg);
    if (rc == HZ_EXIT_OK && s->n_unknown_names > 0 && tax && !fresh) {
        json_t *newer = taxonomy_get(cfg, 1, &again);
        if (again) {
            json_decref(tax);
            tax = newer;
            iv_use_taxonomy(tax);
            import_sheet_free(s);
            rc = import_load(a, s, pg);
        } else {
            json_decref(newer);
        }
    }
    iv_use_taxonomy(NULL);
    json_decref(tax);
    return rc;
}

/* Amends what was edited, queues what is new, and says which was which. */
static int import_send(const cconf *cfg, const import_args *a, import_sheet *s,
                       Huizong__SubmitBatch **b, const char *unit, progress *pg)
{
    unsigned char *skip = calloc(s->n ? s->n : 1, 1);
    import_tally t;
    int rc, crc;

    if (skip == NULL)
        return HZ_EXIT_INTERNAL;
    crc = import_compare(cfg, s, *b, a->as_new, skip, &t);
    if (crc != HZ_EXIT_OK && crc != HZ_EXIT_REFUSED) {
        free(skip);
        return crc;
    }
    for (size_t i = 0; i < s->n; i++)
        skip[i] = !skip[i]; /* kept -> not dropped */
    import_drop_bad(s, skip);
    free(skip);
    input_free(*b);
    *b = NULL;
    rc = HZ_EXIT_OK;
    if (s->n > 0)
        rc = import_batch(s, unit, b) < 0 ? HZ_EXIT_INPUT : spool_submit(cfg, a->path, *b,
                                                                          s->lines, pg);
    if (!t.offline)
        import_tally_print(a->path, &t);
    if (rc == HZ_EXIT_OK && crc != HZ_EXIT_OK)
        rc = crc;
    if (rc == HZ_EXIT_OK && t.probable > 0)
        rc = HZ_EXIT_INPUT;
    return rc;
}

static int import_run(const cconf *cfg, const import_args *a)
{
    char unit[SPOOL_UNIT_MAX], label[1100];
    Huizong__SubmitBatch *b = NULL;
    unsigned char *bad = NULL;
    import_sheet s;
    progress pg;
    int rc;

    snprintf(label, sizeof label, "import %s", a->path);
    progress_init(&pg, label);
    spool_cert_unit(cfg->cert, unit);
    if ((rc = import_load_named(cfg, a, &s, &pg)) != HZ_EXIT_OK)
        goto done;
    const char *h;
    if (unit[0] == '\0' && import_column_of(&s, "unit_code", &h) == 0) {
        if (!a->check) {
            diag_error(_("%s: cannot read the unit from the client certificate %s (see --creds); "
                       "records are queued under it"), a->path, cfg->cert);
            rc = HZ_EXIT_NET;
            goto done;
        }
        /* Checking a sheet needs no credentials: any well-formed unit will do. */
        snprintf(unit, sizeof unit, "unit");
    }
    if (s.n == 0 && s.n_errors == 0) {
        diag_error(_("%s: no records: only a header row"), a->path);
        rc = HZ_EXIT_INPUT;
        goto done;
    }
    if (s.n > 0 && ((bad = calloc(s.n, 1)) == NULL || import_batch(&s, unit, &b) < 0)) {
        rc = HZ_EXIT_INPUT;
        goto done;
    }
    if (b)
        import_check_batch(&s, b, bad);
    if ((rc = import_verdict(a, &s, &b, unit, bad)) != HZ_EXIT_OK)
        goto done;
    if (a->check) {
        printf(_("%s: %zu records, all valid; nothing queued (--check)\n"), a->path, s.n);
        goto done;
    }
    rc = import_send(cfg, a, &s, &b, unit, &pg);
done:
    progress_done(&pg);
    free(bad);
    input_free(b);
    import_sheet_free(&s);
    return rc;
}

int cmd_import(cli_globals *g, int argc, char **argv)
{
    import_args a = {0};
    cconf cfg;
    int rc = import_parse_args(g, argc, argv, &a);

    if (rc != HZ_EXIT_OK)
        return rc;
    if (a.template) {
        if (a.bom)
            fputs("\xEF\xBB\xBF", stdout);
        import_template(stdout, a.kind, a.english);
        return fflush(stdout) == 0 ? HZ_EXIT_OK : HZ_EXIT_INTERNAL;
    }
    if ((rc = session_config(g, &cfg)) != HZ_EXIT_OK)
        return rc;
    if (!a.check && (rc = spool_cert_must_submit(&cfg)) != HZ_EXIT_OK) {
        cconf_free(&cfg);
        return rc;
    }
    rc = import_run(&cfg, &a);
    cconf_free(&cfg);
    return rc;
}
