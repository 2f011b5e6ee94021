/* huizong admin unit|category|indicator: the org tree, the activity
 * categories and the indicators (all but `unit add`, which cmd_admin.c has).
 * One table describes every verb: its options, the request it sends and how
 * its answer is printed; the server checks the values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/diag.h"
#include "cmd/cmd.h"
#include "net/session.h"
#include "render/org_render.h"
#include "report/report.h"
#include "i18n.h"

#define ORG_MAX_OPTS 6

typedef struct {
    const char *flag;  /* "--period-type" */
    const char *field; /* "period_type": the request field it fills */
    bool required;
} org_opt;

typedef enum { ORG_OUT_ADD, ORG_OUT_CHANGE, ORG_OUT_LIST } org_out;

typedef struct {
    const char *noun, *verb;
    Huizong__Request__BodyCase request;
    const ProtobufCMessageDescriptor *body;
    Huizong__Response__BodyCase response;
    org_out out;
    const char *done, *unchanged; /* "%s %s renamed": noun, code */
    bool root_flag;               /* --root stands for an empty --parent (opts[1]) */
    org_opt opts[ORG_MAX_OPTS];
} org_verb;

static const org_verb org_verbs[] = {
    {"unit", "rename", HUIZONG__REQUEST__BODY_UNIT_RENAME, &huizong__unit_rename__descriptor,
     HUIZONG__RESPONSE__BODY_UNIT_RENAME, ORG_OUT_CHANGE, "renamed", "already has that name", false,
     {{"--code", "code", true}, {"--name", "name", true}}},
    {"unit", "move", HUIZONG__REQUEST__BODY_UNIT_MOVE, &huizong__unit_move__descriptor,
     HUIZONG__RESPONSE__BODY_UNIT_MOVE, ORG_OUT_CHANGE, "moved", "is already there", true,
     {{"--code", "code", true}, {"--parent", "parent_code", false}}},
    {"unit", "retire", HUIZONG__REQUEST__BODY_UNIT_RETIRE, &huizong__unit_retire__descriptor,
     HUIZONG__RESPONSE__BODY_UNIT_RETIRE, ORG_OUT_CHANGE, "retired", "was already retired", false,
     {{"--code", "code", true}}},
    {"unit", "list", HUIZONG__REQUEST__BODY_UNIT_LIST, &huizong__unit_list__descriptor,
     HUIZONG__RESPONSE__BODY_UNIT_LIST, ORG_OUT_LIST, NULL, NULL, false,
     {{"--under", "under", false}}},
    {"category", "add", HUIZONG__REQUEST__BODY_CATEGORY_ADD, &huizong__category_add__descriptor,
     HUIZONG__RESPONSE__BODY_CATEGORY_ADD, ORG_OUT_ADD, "added", "already present", false,
     {{"--code", "code", true}, {"--name", "name", true}, {"--parent", "parent_code", false}}},
    {"category", "rename", HUIZONG__REQUEST__BODY_CATEGORY_RENAME,
     &huizong__category_rename__descriptor, HUIZONG__RESPONSE__BODY_CATEGORY_RENAME, ORG_OUT_CHANGE,
     "renamed", "already has that name", false, {{"--code", "code", true}, {"--name", "name", true}}},
    {"category", "move", HUIZONG__REQUEST__BODY_CATEGORY_MOVE, &huizong__category_move__descriptor,
     HUIZONG__RESPONSE__BODY_CATEGORY_MOVE, ORG_OUT_CHANGE, "moved", "is already there", true,
     {{"--code", "code", true}, {"--parent", "parent_code", false}}},
    {"category", "retire", HUIZONG__REQUEST__BODY_CATEGORY_RETIRE,
     &huizong__category_retire__descriptor, HUIZONG__RESPONSE__BODY_CATEGORY_RETIRE, ORG_OUT_CHANGE,
     "retired", "was already retired", false, {{"--code", "code", true}}},
    {"category", "section", HUIZONG__REQUEST__BODY_CATEGORY_SECTION,
     &huizong__category_section__descriptor, HUIZONG__RESPONSE__BODY_CATEGORY_SECTION,
     ORG_OUT_CHANGE, "now reports in that section", "already reports in that section", false,
     {{"--code", "code", true}, {"--section", "section", true}}},
    {"category", "list", HUIZONG__REQUEST__BODY_CATEGORY_LIST, &huizong__category_list__descriptor,
     HUIZONG__RESPONSE__BODY_CATEGORY_LIST, ORG_OUT_LIST, NULL, NULL, false, {{NULL, NULL, false}}},
    {"indicator", "add", HUIZONG__REQUEST__BODY_INDICATOR_ADD, &huizong__indicator_add__descriptor,
     HUIZONG__RESPONSE__BODY_INDICATOR_ADD, ORG_OUT_ADD, "added", "already present", false,
     {{"--code", "code", true}, {"--name", "name", true}, {"--unit", "unit", true},
      {"--period-type", "period_type", true}, {"--aggregation", "aggregation", true}}},
    {"indicator", "update", HUIZONG__REQUEST__BODY_INDICATOR_UPDATE,
     &huizong__indicator_update__descriptor, HUIZONG__RESPONSE__BODY_INDICATOR_UPDATE,
     ORG_OUT_CHANGE, "updated", "unchanged", false,
     {{"--code", "code", true}, {"--name", "name", false}, {"--unit", "unit", false},
      {"--period-type", "period_type", false}, {"--aggregation", "aggregation", false}}},
    {"indicator", "list", HUIZONG__REQUEST__BODY_INDICATOR_LIST,
     &huizong__indicator_list__descriptor, HUIZONG__RESPONSE__BODY_INDICATOR_LIST, ORG_OUT_LIST,
     NULL, NULL, false, {{NULL, NULL, false}}},
    {"indicator", "retire", HUIZONG__REQUEST__BODY_INDICATOR_RETIRE,
     &huizong__indicator_retire__descriptor, HUIZONG__RESPONSE__BODY_INDICATOR_RETIRE,
     ORG_OUT_CHANGE, "retired", "was already retired", false, {{"--code", "code", true}}},
};

static const char *const org_unit_help = N_(
    "usage: huizong [GLOBAL OPTIONS] admin unit VERB [OPTIONS]   (admin certificate)\n"
    "  add     --code CODE --name NAME --level LEVEL [--parent CODE]\n"
    "          adds a unit (see huizong admin --help)\n"
    "  rename  --code CODE --name NAME        gives a unit a new name\n"
    "  move    --code CODE (--parent CODE | --root)\n"
    "          puts a unit (and everything under it) under another parent; never\n"
    "          under itself or its own descendant; --root: no parent\n"
    "  retire  --code CODE                    keeps the unit's records and history;\n"
    "          it takes no new records and its certificates are refused; refused\n"
    "          while active units are below it\n"
    "  list    [--under CODE] [--format table|json]\n"
    "          the tree, indented (default: every root), retired units marked\n"
    "Levels from the top: city, district, street, community, grid. Offices\n"
    "(city, district, street) nest under offices of the same or a higher level;\n"
    "a community sits under an office, a grid under a community or a grid.\n"
    "Only communities file records. Codes: a-z, 0-9, _ and -, at most 63.\n"
    "Repeating a change that is already so is not an error and writes nothing.\n");

static const char *const org_category_help = N_(
    "usage: huizong [GLOBAL OPTIONS] admin category VERB [OPTIONS]   (admin certificate)\n"
    "  add     --code CODE --name NAME [--parent CODE]\n"
    "          adds an activity category (under --parent: a sub-category)\n"
    "  rename  --code CODE --name NAME\n"
    "  move    --code CODE (--parent CODE | --root)\n"
    "          never under itself or its own descendant\n"
    "  retire  --code CODE    keeps its records; new records may not use it;\n"
    "          refused while active categories are below it\n"
    "  section --code CODE --section KEY   (admin or district certificate)\n"
    "          the year-end report lists the category, and its sub-categories\n"
    "          without a section of their own, in section KEY: theory, civility,\n"
    "          youth, education, culture, volunteer, publicity or other; an empty\n"
    "          KEY (--section \"\") puts it back where the built-in table has it\n"
    "  list    [--format table|json]   the tree in report order\n"
    "Repeating a change that is already so is not an error and writes nothing.\n");

static const char *const org_indicator_help = N_(
    "usage: huizong [GLOBAL OPTIONS] admin indicator VERB [OPTIONS]   (admin certificate)\n"
    "  add     --code CODE --name NAME --unit UNIT --period-type month|quarter|year\n"
    "          --aggregation sum|last|max|avg\n"
    "          UNIT is what a value counts (篇, 人, 块); the aggregation says how\n"
    "          one community's values combine over periods: counts add up (sum),\n"
    "          stocks such as volunteers on the roll take the latest (last)\n"
    "  update  --code CODE [--name NAME] [--unit UNIT] [--period-type TYPE]\n"
    "          [--aggregation AGG]   changes what is given; period type and\n"
    "          aggregation only while the indicator holds no values\n"
    "  retire  --code CODE    keeps its values (summaries still show them);\n"
    "          new values may not use it\n"
    "  list    [--format table|json]   every indicator with how many values it holds\n"
    "Repeating a change that is already so is not an error and writes nothing.\n");

typedef struct {
    const org_verb *verb;
    const char *value[ORG_MAX_OPTS];
    bool root;
    const char *format;
} org_args;

/* Takes the verb's own option at argv[*i]: 1 taken, 0 not its own, -1 usage error. */
static int org_option(void *ctx, int argc, char **argv, int *i)
{
    org_args *a = ctx;
    const org_verb *v = a->verb;
    int r;

    if (v->root_flag && strcmp(argv[*i], "--root") == 0) {
        a->root = true;
        return 1;
    }
    if (v->out == ORG_OUT_LIST && (r = cli_take_value("--format", argc, argv, i, &a->format)) != 0)
        return r;
    for (size_t k = 0; k < ORG_MAX_OPTS && v->opts[k].flag; k++)
        if ((r = cli_take_value(v->opts[k].flag, argc, argv, i, &a->value[k])) != 0)
            return r;
    return 0;
}

static int org_parse(const org_verb *v, const char *cmd, cli_globals *g, int argc, char **argv,
                     org_args *a)
{
    int rc = cli_parse(cmd, g, argc, argv, org_option, a, NULL, 0);

    if (rc != HZ_EXIT_OK)
        return rc;
    for (size_t k = 0; k < ORG_MAX_OPTS && v->opts[k].flag; k++)
        if (v->opts[k].required && !a->value[k]) {
            diag_error(_("%s: missing %s (see huizong admin %s --help)"), cmd, v->opts[k].flag, v->noun);
            return HZ_EXIT_USAGE;
        }
    if (v->root_flag && a->root == (a->value[1] != NULL)) {
        diag_error(_("%s: give either --parent CODE or --root (see huizong admin %s --help)"), cmd,
                   v->noun);
        return HZ_EXIT_USAGE;
    }
    if (v->request == HUIZONG__REQUEST__BODY_CATEGORY_SECTION && *a->value[1] &&
        report_section_by_key(a->value[1]) == (size_t)-1) {
        diag_error("%s: --section %s: not a section of the report (want theory, civility, youth, "
                   "education, culture, volunteer, publicity or other)", cmd, a->value[1]);
        return HZ_EXIT_USAGE;
    }
    if (a->format && strcmp(a->format, "table") && strcmp(a->format, "json")) {
        diag_error(_("%s: --format %s: want table or json"), cmd, a->format);
        return HZ_EXIT_USAGE;
    }
    return HZ_EXIT_OK;
}

/* The request body: a message of the verb's type with the given options. */
static ProtobufCMessage *org_body(const org_verb *v, const org_args *a)
{
    ProtobufCMessage *m = calloc(1, v->body->sizeof_message);

    if (!m)
        return NULL;
    protobuf_c_message_init(v->body, m);
    for (size_t k = 0; k < ORG_MAX_OPTS && v->opts[k].flag; k++) {
        const ProtobufCFieldDescriptor *f =
            protobuf_c_message_descriptor_get_field_by_name(v->body, v->opts[k].field);
        if (f && a->value[k])
            *(const char **)((char *)m + f->offset) = a->value[k];
    }
    return m;
}

static void org_set_request_body(Huizong__Request *req, const org_verb *v, ProtobufCMessage *m)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(&huizong__request__descriptor, (unsigned)v->request);

    req->body_case = v->request;
    *(ProtobufCMessage **)((char *)req + f->offset) = m;
}

static const ProtobufCMessage *org_response_body(const Huizong__Response *r, const org_verb *v)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(&huizong__response__descriptor, (unsigned)v->response);

    return *(const ProtobufCMessage *const *)((const char *)r + f->offset);
}

static int org_print(const org_verb *v, const org_args *a, const Huizong__Response *r)
{
    const ProtobufCMessage *body = org_response_body(r, v);
    const char *code = a->value[0];

    switch (v->out) {
    case ORG_OUT_ADD:
        printf("%s %s %s\n", v->noun, code,
               ((const Huizong__OrgAddResult *)body)->created ? v->done : v->unchanged);
        return 0;
    case ORG_OUT_CHANGE:
        printf("%s %s %s\n", v->noun, code,
               ((const Huizong__OrgChangeResult *)body)->changed ? v->done : v->unchanged);
        return 0;
    case ORG_OUT_LIST:
        return org_render(stdout, body, a->format && strcmp(a->format, "json") == 0);
    }
    return 0;
}

static int org_send(const org_verb *v, const org_args *a, const cconf *cfg)
{
    Huizong__Request req = HUIZONG__REQUEST__INIT;
    Huizong__Response *resp;
    ProtobufCMessage *body = org_body(v, a);
    net_conn *conn;
    int rc;

    if (!body) {
        diag_error(_("admin %s %s: out of memory"), v->noun, v->verb);
        return HZ_EXIT_INTERNAL;
    }
    org_set_request_body(&req, v, body);
    rc = session_open(cfg, &conn);
    if (rc == HZ_EXIT_OK) {
        rc = session_call(conn, &req, v->response, NULL, &resp);
        net_close(conn);
    }
    free(body);
    if (rc != HZ_EXIT_OK)
        return rc;
    if (org_print(v, a, resp) < 0 || fflush(stdout)) {
        diag_error(_("admin %s %s: cannot write the output"), v->noun, v->verb);
        rc = HZ_EXIT_INTERNAL;
    }
    huizong__response__free_unpacked(resp, NULL);
    return rc;
}

static int org_run(const org_verb *v, cli_globals *g, int argc, char **argv)
{
    org_args a = {.verb = v};
    char cmd[64];
    cconf cfg;
    int rc;

    snprintf(cmd, sizeof cmd, "admin %s %s", v->noun, v->verb);
    if ((rc = org_parse(v, cmd, g, argc, argv, &a)) != HZ_EXIT_OK)
        return rc;
    if (v->root_flag && a.root)
        a.value[1] = "";
    if ((rc = session_config(g, &cfg)) != HZ_EXIT_OK)
        return rc;
    rc = org_send(v, &a, &cfg);
    cconf_free(&cfg);
    return rc;
}

void cmd_admin_unit_help(FILE *f)
{
    fputs(_(org_unit_help), f);
}

void cmd_admin_category_help(FILE *f)
{
    fputs(_(org_category_help), f);
}

void cmd_admin_indicator_help(FILE *f)
{
    fputs(_(org_indicator_help), f);
}

/* argv[0] is the verb of `admin NOUN`; none: the noun's help, as an error. */
static int org_noun(const char *noun, const char *help, cli_globals *g, int argc, char **argv)
{
    if (argc < 1) {
        fputs(_(help), stderr);
        return HZ_EXIT_USAGE;
    }
    for (size_t k = 0; k < sizeof org_verbs / sizeof org_verbs[0]; k++)
        if (strcmp(noun, org_verbs[k].noun) == 0 && strcmp(argv[0], org_verbs[k].verb) == 0)
            return org_run(&org_verbs[k], g, argc - 1, argv + 1);
    diag_error(_("admin %s: unknown verb \"%s\" (see huizong admin %s --help)"), noun, argv[0],
               noun);
    return HZ_EXIT_USAGE;
}

int cmd_admin_unit(cli_globals *g, int argc, char **argv)
{
    return org_noun("unit", org_unit_help, g, argc, argv);
}

int cmd_admin_category(cli_globals *g, int argc, char **argv)
{
    return org_noun("category", org_category_help, g, argc, argv);
}

int cmd_admin_indicator(cli_globals *g, int argc, char **argv)
{
    return org_noun("indicator", org_indicator_help, g, argc, argv);
}
