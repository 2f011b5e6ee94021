/* What `huizong status` and `huizong config show` do with the settings
 * (cmd_status.c, cmd_config.c); cmd_spool.c runs them. */
#ifndef HZ_CMD_SPOOL_H
#define HZ_CMD_SPOOL_H

#include "cli/cconf.h"

int spool_status_print(const cconf *cfg);
int spool_config_show(const cconf *cfg);

#endif
