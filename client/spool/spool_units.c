/* Queued batches per unit, for the ones this certificate leaves behind. */
#include "spool/spool_units.h"

#include <stdlib.h>
#include <string.h>

#include "spool/spool.h"
#include "spool/spool_unit.h"
#include "i18n.h"

typedef struct {
    char unit[SPOOL_UNIT_MAX];
    size_t batches, records;
} units_count;

/* Counts per unit of the queue, in the order the units first appear. */
static size_t units_count_all(const char *dir, units_count **out)
{
    spool_names q;
    char err[1024];
    size_t n = 0;

    *out = NULL;
    if (spool_list(dir, NULL, &q, err, sizeof err) < 0)
        return 0;
    for (size_t i = 0; i < q.n; i++) {
        spool_batch sb;
        size_t k = 0;

        if (spool_load(dir, NULL, q.names[i], 0, &sb, err, sizeof err) != 0) {
            spool_batch_free(&sb);
            continue;
        }
        while (k < n && strcmp((*out)[k].unit, sb.unit) != 0)
            k++;
        if (k == n) {
            units_count *more = realloc(*out, (n + 1) * sizeof *more);
            if (more == NULL) {
                spool_batch_free(&sb);
                break;
            }
            *out = more;
            memset(&more[n], 0, sizeof more[n]);
            snprintf(more[n].unit, sizeof more[n].unit, "%s", sb.unit);
            n++;
        }
        (*out)[k].batches++;
        (*out)[k].records += sb.records;
        spool_batch_free(&sb);
    }
    spool_names_free(&q);
    return n;
}

static void units_line(FILE *f, const char *indent, const units_count *u, const char *cert_unit,
                       const char *role)
{
    fprintf(f, _("%sunit %s: %zu records in %zu batches, "), indent, u->unit, u->records,
            u->batches);
    if (cert_unit[0] == '\0')
        fputs(_("and the client certificate cannot be read (see --creds): "), f);
    else if (strcmp(u->unit, cert_unit) == 0)
        fprintf(f, _("queued with this %s certificate, which sends no records: import the "
                   "source again with the community's certificate (--creds), then "),
                role);
    else
        fprintf(f, _("not this certificate's unit (%s): `huizong --creds DIR sync` with a "
                   "certificate of %s sends them, or if they were queued by mistake, "),
                cert_unit, u->unit);
    fprintf(f, _("`huizong sync --set-aside %s` sets them aside\n"), u->unit);
}

size_t spool_units_advise(FILE *f, const cconf *cfg, const char *indent)
{
    char unit[SPOOL_UNIT_MAX], role[SPOOL_ROLE_MAX];
    units_count *u;
    size_t n, records = 0;

    spool_cert_identity(cfg->cert, unit, role);
    int sender = spool_cert_sends(unit, role);
    n = units_count_all(cfg->spool, &u);
    for (size_t i = 0; i < n; i++) {
        if (sender && strcmp(u[i].unit, unit) == 0)
            continue;
        units_line(f, indent, &u[i], unit, role);
        records += u[i].records;
    }
    free(u);
    return records;
}
