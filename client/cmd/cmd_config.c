/* huizong config show: the settings in effect and where each came from. */
#include "cmd/cmd_spool.h"

#include <stdio.h>

#include "cli/cli.h"
#include "i18n.h"

int spool_config_show(const cconf *cfg)
{
    char timeout[32];
    const char *names[CCONF_N] = {"server", "cert", "key", "ca", "timeout", "spool"};
    const char *values[CCONF_N] = {cfg->server, cfg->cert, cfg->key, cfg->ca, timeout,
                                   cfg->spool};

    snprintf(timeout, sizeof timeout, "%lu s", (cfg->timeout_ms + 999) / 1000);
    printf(_("config file: %s\n"), cfg->file[0] ? cfg->file : _("none"));
    for (int k = 0; k < CCONF_N; k++)
        printf("%-8s %s  (%s)\n", names[k], values[k], cfg->origin[k]);
    return fflush(stdout) == 0 ? HZ_EXIT_OK : HZ_EXIT_INTERNAL;
}
