#!/usr/bin/env bash
# An export of 100,000 records streams: the client's peak resident memory
# stays under 48 MiB and the server's grows by less than 32 MiB (ASan build;
# the CSV itself is ~14 MB, and holding it whole in either program, as
# protobuf and JSON, would take several times that).
set -euo pipefail
# AddressSanitizer keeps freed memory in a quarantine (256 MiB by default),
# which would be counted as resident; measure the programs, not the checker.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
. "$(dirname "$0")/district_lib.sh"
. "$(dirname "$0")/district_memory_lib.sh"
district_setup --log_level=debug
insert_activities 100000
measure_export "$T/big.csv"
echo "client VmHWM ${CLIENT_HWM_KB} kB; server VmHWM ${SERVER_BEFORE_KB} -> ${SERVER_HWM_KB} kB; ${EXPORT_SECONDS}s"
same "100,000 generated + the seed's records exported" "$((EXPORT_ROWS >= 100000))" "1"
same "client peak under 48 MiB" "$((CLIENT_HWM_KB < 48 * 1024))" "1"
same "server growth under 32 MiB" "$((SERVER_HWM_KB - SERVER_BEFORE_KB < 32 * 1024))" "1"
# The report stays within the frame limit however many activities there
# are: it lists only each category's largest.
check "report over 100,000 activities" 0 hz $(as district) report --year 2020 --format json
same "report counts them all" "$(jq '.totals.activities >= 100000' "$T/out")" "true"

# A reader that stops until the server has had to wait (its output above
# 1 MiB) instead of reading on; then it reads, and gets the rest.
waited() {
    for _ in $(seq 600); do
        grep -qF "waiting for the reader" "$T/server.log" && return 0
        sleep 0.1
    done
    return 1
}
env -u XDG_CONFIG_HOME -u HUIZONG_CONFIG HOME="$T/home" "$HZ_CLIENT" $(as district) \
    export --year 2020 --format csv </dev/null | (waited || true; cat) >"$T/slow.csv"
same "slow reader gets every record" "$(($(wc -l <"$T/slow.csv") - 1))" "$EXPORT_ROWS"
expect "the server waited for the reader" "$T/server.log" "waiting for the reader"

# A reader that goes away mid-export: the server drops the export, stays up,
# and leaks nothing (checked when it stops).
rc=0
env -u XDG_CONFIG_HOME -u HUIZONG_CONFIG HOME="$T/home" "$HZ_CLIENT" $(as district) \
    export --year 2020 --format csv </dev/null 2>/dev/null | head -c 100000 >/dev/null || rc=$?
check "server still answers after an abandoned export" 0 hz $(as district) summary --year 2020
finish
