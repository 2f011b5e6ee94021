/* huizong taxonomy refresh|show: the server's categories and indicators as
 * the client caches them beside the spool (net/taxonomy_cache.h), which
 * import uses to read category and indicator names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "import/taxonomy.h"
#include "net/session.h"
#include "net/taxonomy_cache.h"
#include "spool/spool.h"
#include "i18n.h"

void cmd_taxonomy_help(FILE *f)
{
    fprintf(f, _("usage: huizong [GLOBAL OPTIONS] taxonomy refresh|show\n"
                 "\n"
                 "import reads category and indicator names with the server's lists, cached in\n"
                 "the spool folder as %s and fetched again when older than a day\n"
                 "(or with import --refresh-taxonomy, or when a sheet names one it does not know).\n"
                 "  refresh  fetch them now and replace the cache\n"
                 "  show     what the cache holds (no network)\n"),
            TAXONOMY_FILE);
}

static void tax_print(const json_t *t, const char *what, const char *title)
{
    size_t i;
    json_t *o;

    printf("%s:\n", title);
    json_array_foreach(json_object_get(t, what), i, o)
    {
        const char *parent = json_string_value(json_object_get(o, "parent"));
        printf("  %s  %s", json_string_value(json_object_get(o, "code")),
               json_string_value(json_object_get(o, "name")));
        if (parent && *parent)
            printf(_("  (under %s)"), parent);
        if (json_is_true(json_object_get(o, "retired")))
            fputs(_("  retired"), stdout);
        putchar('\n');
    }
}

static int tax_show(const cconf *cfg)
{
    char *text = spool_file_read(cfg->spool, TAXONOMY_FILE), when[32];
    json_t *t = taxonomy_parse(text);

    free(text);
    if (t == NULL) {
        printf(_("no taxonomy cached in %s (import uses the built-in names until `huizong "
               "taxonomy refresh` or the next import online)\n"), cfg->spool);
        return HZ_EXIT_OK;
    }
    time_t at = taxonomy_fetched(t);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&at));
    printf(_("taxonomy cached in %s/%s, fetched %s\n"), cfg->spool, TAXONOMY_FILE, when);
    tax_print(t, "categories", "categories");
    tax_print(t, "indicators", "indicators");
    json_decref(t);
    return fflush(stdout) == 0 ? HZ_EXIT_OK : HZ_EXIT_INTERNAL;
}

static int tax_refresh(const cconf *cfg)
{
    char err[1024];
    json_t *t = NULL;
    int rc = taxonomy_refresh(cfg, &t, err, sizeof err);

    if (rc != HZ_EXIT_OK) {
        diag_error(_("taxonomy refresh: %s"), err);
        return rc;
    }
    printf(_("taxonomy: %zu categories, %zu indicators cached in %s/%s\n"),
           json_array_size(json_object_get(t, "categories")),
           json_array_size(json_object_get(t, "indicators")), cfg->spool, TAXONOMY_FILE);
    json_decref(t);
    return HZ_EXIT_OK;
}

int cmd_taxonomy(cli_globals *g, int argc, char **argv)
{
    const char *verb = argc > 0 ? argv[0] : "";
    int show = strcmp(verb, "show") == 0;
    cconf cfg;
    int rc;

    if (!show && strcmp(verb, "refresh") != 0) {
        diag_error(_("taxonomy: want `huizong taxonomy refresh` or `huizong taxonomy show`"));
        return HZ_EXIT_USAGE;
    }
    if ((rc = cli_parse(show ? "taxonomy show" : "taxonomy refresh", g, argc - 1, argv + 1,
                        NULL, NULL, NULL, 0)) != HZ_EXIT_OK ||
        (rc = session_config(g, &cfg)) != HZ_EXIT_OK)
        return rc;
    rc = show ? tax_show(&cfg) : tax_refresh(&cfg);
    cconf_free(&cfg);
    return rc;
}
