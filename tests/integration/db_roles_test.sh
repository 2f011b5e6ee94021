#!/usr/bin/env bash
# Least privilege in PostgreSQL (docs/database.md), read from the catalog of
# the embedded cluster of a running huizongd (reached on its private Unix
# socket only): the login role huizong_app
# has no role attribute, no privilege on any table, sequence or schema
# beyond USAGE on public, may execute exactly the entry points (the 41
# functions of public, SECURITY DEFINER, owned by huizong_owner) and no
# helper, owns nothing, and is the role of every pool connection. A cluster
# as an earlier version left it (the superuser owning the schema) is handed
# to huizong_owner at the next start. Then the same database as an external
# one: a second huizongd with dsn (login role)
# and owner_dsn (migrations), and the superuser warnings of --check-config
# and of a start with one superuser dsn.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/db_roles_test.sh
set -euo pipefail

IT_NAME=db_roles
. "$(dirname "$0")/it_lib.sh"

make_certs admin:d1:admin c1:c1:community
start_server
add_base_tree

attrs="rolsuper::int::text || rolcreaterole::int || rolcreatedb::int || rolreplication::int
       || rolbypassrls::int || ' login ' || rolcanlogin"
is "huizong_app: not superuser, no createrole, createdb, replication, bypassrls" "00000 login true" \
    "$(pg "select $attrs from pg_roles where rolname = 'huizong_app'")"
is "huizong_owner: the same" "00000 login true" \
    "$(pg "select $attrs from pg_roles where rolname = 'huizong_owner'")"
is "huizong_app is a member of no role" 0 \
    "$(pg "select count(*) from pg_auth_members where member = 'huizong_app'::regrole")"

rel="from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname in ('public', 'hz_private')"
is "the schema has tables" t "$(pg "select count(*) > 10 $rel and c.relkind = 'r'")"
is "no privilege on any table or view" 0 \
    "$(pg "select count(*) $rel and c.relkind in ('r', 'p', 'v', 'm', 'f') and has_table_privilege('huizong_app', c.oid,
           'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')")"
is "no privilege on any column" 0 \
    "$(pg "select count(*) $rel and c.relkind in ('r', 'v') and has_any_column_privilege('huizong_app', c.oid,
           'SELECT, INSERT, UPDATE, REFERENCES')")"
is "no privilege on any sequence" 0 \
    "$(pg "select count(*) $rel and c.relkind = 'S' and
           case when c.relkind = 'S' then has_sequence_privilege('huizong_app', c.oid, 'USAGE, SELECT, UPDATE') end")"

fn="from pg_proc p where p.pronamespace"
is "public holds the 41 entry points" 41 "$(pg "select count(*) $fn = 'public'::regnamespace")"
is "huizong_app may execute every entry point" 41 \
    "$(pg "select count(*) $fn = 'public'::regnamespace and has_function_privilege('huizong_app', p.oid, 'EXECUTE')")"
is "hz_private holds the helpers" t "$(pg "select count(*) > 50 $fn = 'hz_private'::regnamespace")"
is "huizong_app may execute no helper" 0 \
    "$(pg "select count(*) $fn = 'hz_private'::regnamespace and has_function_privilege('huizong_app', p.oid, 'EXECUTE')")"
is "nor any function of the schema but the entry points" 41 \
    "$(pg "select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname not in ('pg_catalog', 'information_schema')
             and has_function_privilege('huizong_app', p.oid, 'EXECUTE')")"
is "PUBLIC may execute no function of public or hz_private" 0 \
    "$(pg "select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname in ('public', 'hz_private') and (p.proacl is null
              or exists (select from aclexplode(p.proacl) a where a.grantee = 0))")"
is "every entry point is SECURITY DEFINER, owned by huizong_owner, with the fixed search_path" 41 \
    "$(pg "select count(*) $fn = 'public'::regnamespace and p.prosecdef
           and p.proowner = 'huizong_owner'::regrole
           and p.proconfig = '{\"search_path=public, hz_private, pg_temp\"}'")"

is "no CREATE on any schema" 0 \
    "$(pg "select count(*) from pg_namespace where has_schema_privilege('huizong_app', oid, 'CREATE')")"
is "no USAGE on hz_private" f "$(pg "select has_schema_privilege('huizong_app', 'hz_private', 'USAGE')")"
is "no TEMP on the database" f "$(pg "select has_database_privilege('huizong_app', 'huizong', 'TEMP')")"
is "huizong_app owns nothing" 0 \
    "$(pg "select count(*) from pg_shdepend where refobjid = 'huizong_app'::regrole and deptype = 'o'")"
# Objects of the schema not owned by huizong_owner.
not_owned() {
    pg "select (select count(*) $rel and c.relkind in ('r', 'S', 'v', 'c') and c.relowner <> 'huizong_owner'::regrole)
            + (select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
               where n.nspname in ('public', 'hz_private') and p.proowner <> 'huizong_owner'::regrole)
            + (select count(*) from pg_type t join pg_namespace n on n.oid = t.typnamespace
               where n.nspname in ('public', 'hz_private') and t.typowner <> 'huizong_owner'::regrole)
            + (select count(*) from pg_namespace where nspname = 'hz_private' and nspowner <> 'huizong_owner'::regrole)"
}
is "huizong_owner owns the schema: every table, sequence, type and function of public and hz_private" 0 \
    "$(not_owned)"
is "huizong_owner owns the database" huizong_owner \
    "$(pg "select pg_get_userbyid(datdba) from pg_database where datname = 'huizong'")"

is "pg_hba.conf: trust on the Unix socket, every TCP connection rejected" "" \
    "$(grep -Ev '^[[:space:]]*(#|$|local[[:space:]].*trust$)' "$T/data/pg/pg_hba.conf" | grep -Ev '[[:space:]]reject$' || true)"
is "the socket's directory is private to the cluster's user" \
    "700 $(stat -c %U "$T/data/pg")" "$(stat -c '%a %U' "$T/data/run")"
is "every pool connection logs in as huizong_app" "4 huizong_app" \
    "$(pg "select count(*) || ' ' || string_agg(distinct usename, ',') from pg_stat_activity
           where application_name = 'huizongd'")"

# What the login role can do, tried as it.
app() { psql -XAtq -v ON_ERROR_STOP=1 "host=$T/data/run user=huizong_app dbname=huizong" -c "$1" 2>&1; }
expect_app() { # NAME SQL TEXT
    local out; out=$(app "$2" || true)
    case $out in *"$3"*) ok "$1" ;; *) bad "$1: got \"$out\", want \"$3\"" ;; esac
}
expect_app "huizong_app calls an entry point" \
    "select hz_unit_list('{\"principal\":{\"role\":\"admin\",\"unit\":\"\"}}') ->> 'status'" OK
expect_app "huizong_app cannot read a table" "select count(*) from activity" \
    "permission denied for table activity"
expect_app "huizong_app cannot call a helper" "select hz_private.hz_year_error(2020)" \
    "permission denied for schema hz_private"
expect_app "huizong_app cannot create a table" "create table x (i int)" \
    "permission denied for schema public"

# ---- a cluster made by an earlier version: everything owned by the superuser --
pg "reassign owned by huizong_owner to huizong" >/dev/null
is "as an earlier version left it: the superuser owns the schema" t "$(pg "select $(not_owned) > 100")"
stop_server || bad "huizongd stopped for the restart"
start_server
is "after a restart huizong_owner owns the schema again" 0 "$(not_owned)"
is "and the database" huizong_owner "$(pg "select pg_get_userbyid(datdba) from pg_database where datname = 'huizong'")"
check "the entry points still work for huizong_app" 0 hz $(as admin) admin unit list || true
expect "the units are there" "$T/out" "c2"

# ---- an external database: dsn (login role) and owner_dsn (migrations) ------
ext() { # LOG OPTION...: a second huizongd on the same database, until ready
    local log=$1 pid got=
    shift
    setpriv --pdeathsig TERM -- "$HZ_SERVER" --listen=127.0.0.1:0 --data_dir="$T/ext" \
        --tls_cert="$T/server/server.crt" --tls_key="$T/server/server.key" \
        --tls_ca="$T/server/ca.crt" "$@" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do
        grep -q 'ready on' "$log" && got=1 && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -TERM "$pid" 2>/dev/null || true
    local rc=0
    wait "$pid" || rc=$?
    [ -n "$got" ] && [ "$rc" -eq 0 ]
}
db="host=$T/data/run dbname=huizong"
if ext "$T/ext1.log" --dsn="$db user=huizong_app" --owner_dsn="$db user=huizong_owner"; then
    ok "huizongd runs with dsn as huizong_app and owner_dsn as huizong_owner"
else
    bad "huizongd with dsn and owner_dsn"; dump "$T/ext1.log"
fi
expect "it grants the entry points to the login role" "$T/ext1.log" "login role huizong_app may execute the entry points"
if grep -q superuser "$T/ext1.log"; then bad "no superuser warning"; dump "$T/ext1.log"; else ok "no superuser warning"; fi

if ext "$T/ext2.log" --dsn="$db user=huizong"; then ok "huizongd runs with one superuser dsn"; else
    bad "huizongd with one superuser dsn"; dump "$T/ext2.log"
fi
expect "it warns that the login role is a superuser" "$T/ext2.log" \
    'WARN dsn logs in as PostgreSQL superuser "huizong": requests then run with every privilege'

check "--check-config with a superuser dsn" 0 "$HZ_SERVER" --check-config --dsn="$db user=huizong" || true
expect "--check-config warns that the login role is a superuser" "$T/err" \
    'dsn logs in as PostgreSQL superuser "huizong"'
check "--check-config with the login role" 0 "$HZ_SERVER" --check-config --dsn="$db user=huizong_app" || true
if grep -q superuser "$T/err"; then bad "--check-config: no warning for huizong_app"; dump "$T/err"; else
    ok "--check-config: no warning for huizong_app"; fi
check "--check-config prints owner_dsn" 0 "$HZ_SERVER" --check-config --owner_dsn="$db user=huizong_owner password=s3cret" || true
expect "without its password" "$T/out" 'owner_dsn = "(set; contains a password)"'
if grep -q s3cret "$T/out" "$T/err"; then bad "the password is not printed"; else ok "the password is not printed"; fi

finish
