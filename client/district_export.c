/* huizong export: placeholder, filled in next. */
#include "diag.h"
#include "district.h"

int district_export(cli_globals *g, int argc, char **argv)
{
    (void)g;
    (void)argc;
    (void)argv;
    diag_error("export: not implemented yet");
    return HZ_EXIT_INTERNAL;
}
