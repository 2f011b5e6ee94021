#!/usr/bin/env bash
# The Debian packages as built by `make deb` (dpkg-buildpackage), read from
# $HZ_DEB_DIR (make check builds them there once, before the tests; default
# build-deb/, built here when it holds none): what they install and where,
# lintian without errors, systemd-analyze verify on the units, and the
# unpacked huizongd (dpkg-deb -x into a temporary root), started with the
# packaged configuration only, every path in it rewritten into that root by
# --key=value: it applies the packaged migrations, tells systemd it is ready
# (sd_notify, Type=notify) once it serves, reloads on SIGHUP, and serves a
# summary to the unpacked huizong.
#
# Usage: HZ_SERVER=... HZ_CLIENT=... HZ_NOTIFY_LISTEN=path/notify_listen tests/integration/package_test.sh
set -euo pipefail

IT_NAME=package
IT_DUMP_MAX=40
. "$(dirname "$0")/it_lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${HZ_NOTIFY_LISTEN:?set HZ_NOTIFY_LISTEN to the notify_listen binary}"
DEBS=${HZ_DEB_DIR:-$ROOT/build-deb}
VERSION=$("$HZ_SERVER" --version | cut -d' ' -f2)

# ------------------------------------------------------ the packages ----
if ! ls "$DEBS"/huizong-server_*.deb >/dev/null 2>&1; then
    echo "     (no packages in $DEBS: building them with make deb-packages)"
    DEBS=$T/debs
    make -C "$ROOT" deb-packages DEB_DIR="$DEBS" >"$T/deb-build.log" 2>&1 ||
        { bad "make deb-packages"; tail -n 30 "$T/deb-build.log"; exit 1; }
fi
SERVER_DEB=$(ls "$DEBS"/huizong-server_"$VERSION"_*.deb 2>/dev/null | head -n1 || true)
CLIENT_DEB=$(ls "$DEBS"/huizong-client_"$VERSION"_*.deb 2>/dev/null | head -n1 || true)
[ -n "$SERVER_DEB" ] && [ -n "$CLIENT_DEB" ] && ok "packages of version $VERSION in $DEBS" ||
    { bad "no huizong-server and huizong-client $VERSION in $DEBS (make deb)"; ls "$DEBS"; exit 1; }
is "huizong-server depends on PostgreSQL 15" 1 \
    "$(dpkg-deb -f "$SERVER_DEB" Depends | grep -c 'postgresql-15')"
dpkg-deb -e "$SERVER_DEB" "$T/control"
is "huizongd.conf is a conffile" "/etc/huizong/huizongd.conf" "$(cat "$T/control/conffiles")"

R=$T/root
dpkg-deb -x "$SERVER_DEB" "$R"
dpkg-deb -x "$CLIENT_DEB" "$R"
for f in usr/bin/huizongd usr/bin/huizong etc/huizong/huizongd.conf \
         lib/systemd/system/huizongd.service lib/systemd/system/huizongd-backup.service \
         lib/systemd/system/huizongd-backup.timer usr/lib/sysusers.d/huizong-server.conf \
         usr/lib/tmpfiles.d/huizong-server.conf usr/share/man/man8/huizongd.8.gz \
         usr/share/man/man1/huizong.1.gz usr/share/bash-completion/completions/huizong \
         usr/share/locale/zh_CN/LC_MESSAGES/huizong.mo \
         usr/share/doc/huizong-server/copyright usr/share/doc/huizong-client/copyright; do
    [ -e "$R/$f" ] && ok "installs /$f" || bad "installs /$f"
done
is "the migrations of sql/, all of them" "$(cd "$ROOT/sql" && ls ./*.sql | xargs -n1 basename)" \
    "$(cd "$R/usr/share/huizong/sql" && ls ./*.sql | xargs -n1 basename)"
expect "the huizong system user" "$R/usr/lib/sysusers.d/huizong-server.conf" 'u huizong - "huizong server" /var/lib/huizong'
expect "/var/lib/huizong belongs to it" "$R/usr/lib/tmpfiles.d/huizong-server.conf" "d /var/lib/huizong 0700 huizong huizong -"
expect "the backup timer's folder" "$R/usr/lib/tmpfiles.d/huizong-server.conf" "d /var/backups/huizong 0700 huizong huizong -"
# Enabled and started by the operator once the certificates are there: the
# maintainer scripts start nothing, and enable only what was enabled before.
if grep -q "deb-systemd-invoke" "$T/control/postinst"; then bad "the package starts a unit"; else
    ok "the package starts no unit"; fi
is "huizongd.service enabled only if it was" 1 \
    "$(grep -c "if deb-systemd-helper --quiet was-enabled 'huizongd.service'" "$T/control/postinst")"

# ----------------------------------------------------------- lintian ----
if command -v lintian >/dev/null; then
    lintian "$SERVER_DEB" "$CLIENT_DEB" >"$T/lintian" 2>&1 || true
    if grep -q '^E:' "$T/lintian"; then bad "lintian: errors"; dump "$T/lintian"; else ok "lintian: no errors"; fi
else
    bad "lintian not installed (make check installs it)"
fi

# ---------------------------------------------------------- the units ----
if command -v systemd-analyze >/dev/null; then
    mkdir -p "$T/units"
    for u in huizongd.service huizongd-backup.service huizongd-backup.timer; do
        sed "s#/usr/bin/huizongd#$R/usr/bin/huizongd#g" "$R/lib/systemd/system/$u" >"$T/units/$u"
    done
    if MANPATH=$R/usr/share/man systemd-analyze verify "$T/units/huizongd.service" \
        "$T/units/huizongd-backup.service" "$T/units/huizongd-backup.timer" >"$T/verify" 2>&1; then
        ok "systemd-analyze verify"; else bad "systemd-analyze verify"; dump "$T/verify"; fi
else
    bad "systemd-analyze not installed (package systemd; make check installs it)"
fi
U=$R/lib/systemd/system/huizongd.service
for line in Type=notify User=huizong "ExecStart=/usr/bin/huizongd --config /etc/huizong/huizongd.conf" \
            'ExecReload=/bin/kill -HUP $MAINPID' ProtectSystem=strict ReadWritePaths=/var/lib/huizong \
            PrivateTmp=yes NoNewPrivileges=yes CapabilityBoundingSet=; do
    is "unit: $line" 1 "$(grep -cxF -- "$line" "$U")"
done
expect "the timer is not enabled" "$T/control/postinst" "was-enabled 'huizongd-backup.timer'"

# -------------------------------------- the unpacked server, packaged config ----
HZ_SERVER=$R/usr/bin/huizongd
HZ_CLIENT=$R/usr/bin/huizong
make_certs admin:d1:admin district:d1:district c1:c1:community
# Every absolute path of the packaged config, moved into the root.
overrides=()
while IFS='=' read -r key value; do
    key=$(echo "$key" | tr -d ' ') value=$(echo "$value" | sed 's/^ *//; s/ *$//; s/^"//; s/"$//')
    case $value in /*) overrides+=("--$key=$R$value") ;; esac
done < <(grep -E '^[a-z_]+ *=' "$R/etc/huizong/huizongd.conf")
is "paths rewritten: data_dir, sql_dir, tls_cert, tls_key, tls_ca" 5 "${#overrides[@]}"
mkdir -p "$R/etc/huizong/tls" "$R/var/lib"
cp "$T/server/server.crt" "$T/server/server.key" "$T/server/ca.crt" "$R/etc/huizong/tls/"
chmod 600 "$R/etc/huizong/tls/server.key"
# it_lib.sh finds the cluster (psql, a postmaster left behind) under $T/data.
ln -s "$R/var/lib/huizong" "$T/data"
check "the packaged config checks" 0 "$HZ_SERVER" --config "$R/etc/huizong/huizongd.conf" "${overrides[@]}" --check-config || true
expect "sql_dir in the root" "$T/out" "sql_dir = \"$R/usr/share/huizong/sql\""
expect "the default sql_dir is the installed one" <("$HZ_SERVER" --help) "/usr/share/huizong/sql"

"$HZ_NOTIFY_LISTEN" "$T/notify.sock" 60 >"$T/notify" 2>&1 &
LISTEN_PID=$!
for _ in $(seq 50); do [ -S "$T/notify.sock" ] && break; sleep 0.1; done
cd "$T"
NOTIFY_SOCKET=$T/notify.sock server_start "$T/server.log" --config "$R/etc/huizong/huizongd.conf" \
    "${overrides[@]}" --listen=127.0.0.1:0 ||
    { bad "the unpacked huizongd did not get ready"; dump "$T/server.log"; finish; }
ok "the unpacked huizongd serves on $PORT"
for _ in $(seq 50); do grep -q READY=1 "$T/notify" && break; sleep 0.1; done
expect "sd_notify READY=1" "$T/notify" "READY=1"
expect "sd_notify STATUS" "$T/notify" "STATUS=serving on 127.0.0.1:$PORT"
expect "sd_notify MAINPID" "$T/notify" "MAINPID=$SERVER_PID"
is "the packaged migrations applied" "$(ls "$R/usr/share/huizong/sql"/*.sql | wc -l)" \
    "$(pg "select count(*) from schema_version")"
expect "migrations read from the root" "$T/server.log" "migrations applied now from $R/usr/share/huizong/sql)"
if grep -qF "$ROOT/" "$T/server.log"; then bad "the log names the source tree"; dump "$T/server.log"; else
    ok "nothing from the source tree"; fi
add_base_tree
cat >"$T/c1.json" <<'JSON'
{"activities": [
  {"record_id": "7d1e2f30-0000-4000-8000-000000000001", "unit_code": "c1", "date": "2020-04-12",
   "category": "fire", "title": "消防安全讲座", "participants": 40},
  {"record_id": "7d1e2f30-0000-4000-8000-000000000002", "unit_code": "c1", "date": "2020-06-11",
   "category": "culture", "title": "太极拳比赛", "participants": 12}
]}
JSON
check "c1 submits" 0 hz $(as c1) submit "$T/c1.json" || true
if check "district summary from the packaged server" 0 hz $(as district) summary --year 2020 --format json; then
    is "summary: activities" 2 "$(jq -r .total_activities "$T/out")"
    is "summary: participants" 52 "$(jq -r .total_participants "$T/out")"
fi
kill -HUP "$SERVER_PID"
for _ in $(seq 50); do [ "$(grep -c READY=1 "$T/notify")" -ge 2 ] && break; sleep 0.1; done
expect "SIGHUP: sd_notify RELOADING=1" "$T/notify" "RELOADING=1"
is "SIGHUP: READY=1 again" 2 "$(grep -c READY=1 "$T/notify")"

# -------------------------------------------------- bash completion ----
words=$(PATH=$R/usr/bin:$PATH bash -c ". '$R/usr/share/bash-completion/completions/huizong'
    COMP_WORDS=(huizong su); COMP_CWORD=1; _huizong; echo \"\${COMPREPLY[*]}\"
    COMP_WORDS=(huizong admin un); COMP_CWORD=2; _huizong; echo \"\${COMPREPLY[*]}\"")
is "completion: commands" "submit summary" "$(echo "$words" | sed -n 1p)"
is "completion: admin nouns" "unit" "$(echo "$words" | sed -n 2p)"

finish_rc=0
stop_server || finish_rc=$?
is "the unpacked huizongd stops cleanly" 0 "$finish_rc"
wait "$LISTEN_PID" 2>/dev/null || true
expect "sd_notify STOPPING=1" "$T/notify" "STOPPING=1"
if [ "$fails" -gt 0 ]; then echo "$fails check(s) failed"; exit 1; fi
echo "all checks passed"
