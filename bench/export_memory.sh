#!/usr/bin/env bash
# Export memory at scale (outside ctest): N generated activities (default
# 1,000,000) inserted straight into PostgreSQL, exported as CSV through the
# streaming export; prints the client's peak resident memory, the server's
# before and after, the time and the rows. Figures quoted in docs/district.md.
#
# Usage: HZ_SERVER=build/huizongd HZ_CLIENT=build/huizong bench/export_memory.sh [N]
set -euo pipefail
N=${1:-1000000}
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${HZ_SERVER:=$ROOT/build/huizongd}"
: "${HZ_CLIENT:=$ROOT/build/huizong}"
export HZ_SERVER HZ_CLIENT
. "$ROOT/tests/integration/district_lib.sh"
. "$ROOT/tests/integration/district_memory_lib.sh"
district_setup
insert_activities "$N"
measure_export "$T/big.csv"
printf 'records %s  csv %s bytes  time %.1f s\n' "$EXPORT_ROWS" "$(stat -c %s "$T/big.csv")" "$EXPORT_SECONDS"
printf 'client VmHWM %s kB\nserver VmHWM %s kB before, %s kB after\n' \
    "$CLIENT_HWM_KB" "$SERVER_BEFORE_KB" "$SERVER_HWM_KB"
