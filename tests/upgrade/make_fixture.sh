#!/usr/bin/env bash
# Regenerates the upgrade fixture of a release (default v0.1.0) from its tag:
# builds that release's huizongd and huizong from `git archive TAG` in a
# temporary folder (no worktree, the checkout is not touched), runs its server
# on a new embedded cluster, loads the demo's org tree and records plus the
# district's rules, a lock, an amend and a retract, records what each read of
# commands.tsv printed (TAG/NAME.out), and dumps the database as plain SQL
# (TAG/dump.sql), which `huizongd restore` loads.
#
# Usage: tests/upgrade/make_fixture.sh [TAG]      (needs the tag: git fetch --tags)
set -euo pipefail
TAG=${1:-v0.1.0}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$HERE/$TAG
W=$(mktemp -d /tmp/hz-fixture.XXXXXX)
chmod 755 "$W"
PID=
cleanup() {
    [ -z "$PID" ] || { kill -TERM "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; }
    rm -rf "$W"
}
trap cleanup EXIT

git -C "$ROOT" rev-parse -q --verify "refs/tags/$TAG" >/dev/null ||
    { echo "make_fixture: no tag $TAG here (git fetch --tags)" >&2; exit 1; }
mkdir -p "$W/src"
git -C "$ROOT" archive "$TAG" | tar -x -C "$W/src"
cmake -S "$W/src" -B "$W/build" -DCMAKE_BUILD_TYPE=Release >"$W/cmake.log"
cmake --build "$W/build" -j"$(nproc)" --target huizongd huizong >>"$W/cmake.log"
D=$W/build/huizongd C=$W/build/huizong

hz() { HOME="$W/home-$1" "$C" --server "127.0.0.1:$PORT" --creds "$W/creds/$1" "${@:2}" </dev/null; }
mkdir -p "$W/creds"
HOME=$W/home "$C" admin ca init --dir "$W/ca" --name fixture >/dev/null
HOME=$W/home "$C" admin cert issue --ca "$W/ca" --server --hosts 127.0.0.1 --out "$W/server" >/dev/null
for id in admin:district:admin district:district:district street1:street-1:district \
          xinguang:xinguang:community yingbinlu:yingbinlu:community guanlan:guanlan:community; do
    IFS=: read -r name unit role <<<"$id"
    HOME=$W/home "$C" admin cert issue --ca "$W/ca" --unit "$unit" --role "$role" \
        --out "$W/creds/$name" >/dev/null
done

"$D" --listen=127.0.0.1:0 --data_dir="$W/data" --tls_cert="$W/server/server.crt" \
    --tls_key="$W/server/server.key" --tls_ca="$W/server/ca.crt" >"$W/server.log" 2>&1 &
PID=$!
PORT=
for _ in $(seq 600); do
    PORT=$(grep -o 'ready on 127\.0\.0\.1:[0-9]*' "$W/server.log" | sed 's/.*://' || true)
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { cat "$W/server.log"; exit 1; }

grep -v '^#' "$ROOT/demo/data/units.tsv" | while IFS=$'\t' read -r code name level parent; do
    [ -n "$code" ] || continue
    hz admin admin unit add --code "$code" --name "$name" --level "$level" ${parent:+--parent "$parent"} >/dev/null
done
for c in xinguang yingbinlu guanlan; do hz "$c" submit "$ROOT/demo/data/$c.json" >/dev/null; done
hz admin admin quota set --unit street-1 --indicator briefs --period-type month --min 2 --from 2020-01 >/dev/null
hz admin admin quota set --unit street-1 --indicator opinion_reports --period-type month --min 1 --from 2020-01 >/dev/null
hz admin admin deadline set --indicators briefs,opinion_reports --day 5 --unit street-1 >/dev/null
rid=$(jq -r '.activities[0].record_id' "$ROOT/demo/data/xinguang.json")
jq '.activities[0] | .participants = 99' "$ROOT/demo/data/xinguang.json" >"$W/amend.json"
hz xinguang amend "$rid" --file "$W/amend.json" >/dev/null
hz xinguang retract "$(jq -r '.activities[1].record_id' "$ROOT/demo/data/xinguang.json")" \
    --reason "entered twice" >/dev/null
hz district admin period lock --unit street-1 --period 2020-Q1 >/dev/null

mkdir -p "$OUT"
rm -f "$OUT"/*.out
grep -v '^#' "$HERE/commands.tsv" | while IFS=$'\t' read -r name who cmd; do
    # shellcheck disable=SC2086 # the command's words
    hz "$who" $cmd >"$OUT/$name.out"
done
# Plain SQL, as the owner role the server's own cluster has; the version
# comment left out so that regenerating on another minor release changes nothing.
PG_DUMP=/usr/lib/postgresql/15/bin/pg_dump
[ -x "$PG_DUMP" ] || PG_DUMP=pg_dump
"$PG_DUMP" --no-password -d "host=$W/data/run user=huizong_owner dbname=huizong" |
    grep -v '^-- Dumped \(from\|by\)' >"$OUT/dump.sql"
echo "make_fixture: wrote $OUT ($(ls "$OUT" | wc -l) files)"
