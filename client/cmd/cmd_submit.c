/* huizong submit FILE.json: validate locally, queue in the spool, then send
 * the spool; records leave it only once the server acknowledged them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "import/input.h"
#include "kind.h"
#include "net/session.h"
#include "spool/spool_report.h"
#include "spool/spool_unit.h"
#include "validate.h"
#include "i18n.h"

void cmd_submit_help(FILE *f)
{
    fputs(_("usage: huizong [GLOBAL OPTIONS] submit FILE.json\n"
          "\n"
          "Sends the records of FILE.json: a JSON object\n"
          "  {\"activities\": [...], \"indicator_values\": [...], \"honors\": [...]}\n"
          "(each array optional) whose records use the field names of Activity,\n"
          "IndicatorValue and Honor in proto/huizong.proto. Unknown keys are errors.\n"
          "A record without unit_code gets the unit of the client certificate; one\n"
          "without record_id gets an id derived from its content, so sending the same\n"
          "file again is counted as duplicates, not new records.\n"
          "Every record is checked before anything is queued (exit 2 lists every error).\n"
          "The records are written to the spool (--spool DIR) first and leave it when\n"
          "the server has acknowledged them; without a server they stay queued (exit 3)\n"
          "until `huizong sync`. A batch the server refuses is set aside (exit 4) and\n"
          "shown by `huizong status`. See docs/spool.md.\n"),
          f);
}

static int submit_load(const char *path, const char *unit, Huizong__SubmitBatch **b)
{
    char err[1024];
    FILE *f = fopen(path, "r");
    int rc;

    if (f == NULL) {
        diag_error("%s: %s", path, strerror(errno));
        return HZ_EXIT_INPUT;
    }
    rc = input_parse_file(f, path, *unit ? unit : NULL, b, err, sizeof err);
    fclose(f);
    if (rc < 0) {
        diag_error("%s", err);
        return HZ_EXIT_INPUT;
    }
    if (input_record_count(*b) == 0) {
        diag_error(_("%s: no records (want activities, indicator_values or honors)"), path);
        return HZ_EXIT_INPUT;
    }
    return HZ_EXIT_OK;
}

static int submit_check(const char *path, const Huizong__SubmitBatch *b)
{
    validate_errors errs = {0};
    size_t n = validate_batch(b, 0, &errs);

    if (n == 1 && errs.count == 1) {
        const validate_error *e = &errs.items[0];
        const char *array = kind_array_name(e->kind);
        if (array)
            diag_error("%s: %s[%u].%s: %s", path, array, (unsigned)e->index, e->field, e->reason);
        else
            diag_error("%s: %s: %s", path, e->field, e->reason);
    } else if (n > 0) {
        diag_error(_("%s: %zu invalid fields, nothing queued"), path, n);
        for (size_t i = 0; i < errs.count; i++)
            diag_field(errs.items[i].kind, errs.items[i].index, errs.items[i].field,
                       errs.items[i].reason);
    }
    validate_errors_free(&errs);
    return n ? HZ_EXIT_INPUT : HZ_EXIT_OK;
}

int cmd_submit(cli_globals *g, int argc, char **argv)
{
    const char *path = NULL;
    char unit[SPOOL_UNIT_MAX];
    Huizong__SubmitBatch *b = NULL;
    cconf cfg;
    int rc;

    if ((rc = cli_parse("submit", g, argc, argv, NULL, NULL, &path, 1)) != HZ_EXIT_OK)
        return rc;
    if (path == NULL) {
        diag_error(_("submit: missing FILE.json (see huizong submit --help)"));
        return HZ_EXIT_USAGE;
    }
    if ((rc = session_config(g, &cfg)) != HZ_EXIT_OK)
        return rc;
    if ((rc = spool_cert_must_submit(&cfg)) != HZ_EXIT_OK) {
        cconf_free(&cfg);
        return rc;
    }
    spool_cert_unit(cfg.cert, unit);
    rc = submit_load(path, unit, &b);
    if (rc == HZ_EXIT_OK)
        rc = submit_check(path, b);
    if (rc == HZ_EXIT_OK) {
        progress pg;
        progress_init(&pg, "submit");
        rc = spool_submit(&cfg, path, b, NULL, &pg);
    }
    input_free(b);
    cconf_free(&cfg);
    return rc;
}
