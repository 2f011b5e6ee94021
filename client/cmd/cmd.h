/* The commands of huizong: one table (cmd_table.c) names each command by
 * its words, with the function that runs it, its lines in `huizong --help`
 * and its own help. Each run function gets the arguments after the words,
 * takes global options from among them, and returns an exit code (cli.h). */
#ifndef HZ_CMD_H
#define HZ_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"

typedef int (*cmd_run)(cli_globals *g, int argc, char **argv);

typedef struct {
    const char *words[3];  /* {"admin", "unit", "add"}; unused ones NULL */
    cmd_run run;           /* gets the arguments after the words; NULL: the
                              row is a noun's help, run as its first word's */
    void (*help)(FILE *f); /* what `huizong WORDS ... --help` prints */
    const char *usage;     /* its lines in `huizong --help`; NULL: none of its own */
} cmd_row;

/* The row named by argv[0] and then argv[next], argv[next + 1] ...: the one
 * with the most words that match (a row without run only when no verb
 * follows its words); NULL when argv[0] names no command.
 * *args gets the index of the first argument after the row's words. */
const cmd_row *cmd_find(int argc, char **argv, int next, int *args);

/* True when `word` is followed by further words in some row (`admin`):
 * global options may then stand between it and the next word. */
bool cmd_has_sub(const char *word);

/* Prints the usage lines of the rows from the one named `from` to the one
 * named `to` ("admin quota set"), both included. */
void cmd_usage_lines(FILE *f, const char *from, const char *to);

/* `huizong --help`: global options, every command, config file, exit codes. */
void cmd_help(FILE *f);

/* True when -h or --help is among the arguments: help wins over other errors. */
bool cmd_wants_help(int argc, char **argv);

/* The commands, in the order of the table. */
int cmd_submit(cli_globals *g, int argc, char **argv);
int cmd_summary(cli_globals *g, int argc, char **argv);
int cmd_admin_ca_init(cli_globals *g, int argc, char **argv);
int cmd_admin_cert_issue(cli_globals *g, int argc, char **argv);
int cmd_admin_unit_add(cli_globals *g, int argc, char **argv);
int cmd_list(cli_globals *g, int argc, char **argv);
int cmd_amend(cli_globals *g, int argc, char **argv);
int cmd_retract(cli_globals *g, int argc, char **argv);
int cmd_nil(cli_globals *g, int argc, char **argv);
int cmd_correct(cli_globals *g, int argc, char **argv);
int cmd_sync(cli_globals *g, int argc, char **argv);
int cmd_status(cli_globals *g, int argc, char **argv);
int cmd_import(cli_globals *g, int argc, char **argv);
int cmd_config(cli_globals *g, int argc, char **argv);
int cmd_taxonomy(cli_globals *g, int argc, char **argv);
int cmd_completeness(cli_globals *g, int argc, char **argv);
int cmd_quotas(cli_globals *g, int argc, char **argv);
int cmd_report(cli_globals *g, int argc, char **argv);
int cmd_export(cli_globals *g, int argc, char **argv);
int cmd_pull(cli_globals *g, int argc, char **argv);
int cmd_enroll(cli_globals *g, int argc, char **argv);
int cmd_admin_unit(cli_globals *g, int argc, char **argv);      /* VERB: org_verbs */
int cmd_admin_category(cli_globals *g, int argc, char **argv);  /* VERB: org_verbs */
int cmd_admin_indicator(cli_globals *g, int argc, char **argv); /* VERB: org_verbs */
int cmd_admin_enroll_create(cli_globals *g, int argc, char **argv);
int cmd_admin_cert_list(cli_globals *g, int argc, char **argv);
int cmd_admin_cert_revoke(cli_globals *g, int argc, char **argv);
int cmd_admin_audit(cli_globals *g, int argc, char **argv);
int cmd_admin_quota_set(cli_globals *g, int argc, char **argv);
int cmd_admin_quota_list(cli_globals *g, int argc, char **argv);
int cmd_admin_deadline_set(cli_globals *g, int argc, char **argv);
int cmd_admin_deadline_list(cli_globals *g, int argc, char **argv);
int cmd_admin_period_lock(cli_globals *g, int argc, char **argv);
int cmd_admin_period_unlock(cli_globals *g, int argc, char **argv);
int cmd_admin_period_list(cli_globals *g, int argc, char **argv);
int cmd_admin_correction_list(cli_globals *g, int argc, char **argv);
int cmd_admin_correction_approve(cli_globals *g, int argc, char **argv);
int cmd_admin_correction_show(cli_globals *g, int argc, char **argv);
int cmd_admin_correction_reject(cli_globals *g, int argc, char **argv);
int cmd_admin_stats(cli_globals *g, int argc, char **argv);
int cmd_help_run(cli_globals *g, int argc, char **argv);
/* The words before a missing or unknown verb: each reports it in its
 * area's words and returns HZ_EXIT_USAGE. */
int cmd_admin_unknown(cli_globals *g, int argc, char **argv);
int cmd_admin_quota_unknown(cli_globals *g, int argc, char **argv);
int cmd_admin_deadline_unknown(cli_globals *g, int argc, char **argv);
int cmd_admin_period_unknown(cli_globals *g, int argc, char **argv);
int cmd_admin_correction_unknown(cli_globals *g, int argc, char **argv);

/* The commands' own help, each printed by `huizong WORDS --help`. */
void cmd_submit_help(FILE *f);
void cmd_summary_help(FILE *f);
void cmd_admin_help(FILE *f);
void cmd_records_help(FILE *f);
void cmd_spool_help(FILE *f);
void cmd_taxonomy_help(FILE *f);
void cmd_import_help(FILE *f);
void cmd_completeness_help(FILE *f);
void cmd_quotas_help(FILE *f);
void cmd_report_help(FILE *f);
void cmd_export_help(FILE *f);
void cmd_pull_help(FILE *f);
void cmd_enroll_help(FILE *f);
void cmd_admin_unit_help(FILE *f);
void cmd_admin_category_help(FILE *f);
void cmd_admin_indicator_help(FILE *f);
void cmd_admin_enroll_help(FILE *f);
void cmd_admin_cert_help(FILE *f);
void cmd_admin_audit_help(FILE *f);
void cmd_admin_period_help(FILE *f);
void cmd_admin_stats_help(FILE *f);

#endif
