/* huizong pull: placeholder until the pull request is served. */
#include "diag.h"
#include "district.h"

int district_pull(cli_globals *g, int argc, char **argv)
{
    (void)g;
    (void)argc;
    (void)argv;
    diag_error("pull: not implemented yet");
    return HZ_EXIT_INTERNAL;
}
