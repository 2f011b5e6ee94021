#!/bin/sh
# Patroni's post_bootstrap: creates huizong's two roles and its database on
# the cluster's first primary (docs/database.md, "An external database").
# Usage (by Patroni): db-init.sh SECRETS_DIR CONNECTION_URL
# SECRETS_DIR holds owner.pw and app.pw, the roles' passwords.
set -eu
secrets=$1 url=$2
owner_pw=$(cat "$secrets/owner.pw")
app_pw=$(cat "$secrets/app.pw")
psql -X -q -v ON_ERROR_STOP=1 -v owner_pw="$owner_pw" -v app_pw="$app_pw" "$url" <<'SQL'
CREATE ROLE huizong_owner LOGIN PASSWORD :'owner_pw'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE huizong_app LOGIN PASSWORD :'app_pw' NOINHERIT
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE DATABASE huizong OWNER huizong_owner ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE huizong FROM PUBLIC;
GRANT CONNECT ON DATABASE huizong TO huizong_app;
\c huizong
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
