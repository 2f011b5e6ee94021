#!/usr/bin/env bash
# testssl.sh (Debian's testssl 3.0) against huizongd: protocols, cipher
# categories, forward secrecy, server defaults and every vulnerability check,
# with no finding rated worse than OK. It runs against the enrollment port:
# testssl 3.0 cannot present a client certificate, and both ports are built
# by the one TLS context function (same versions, suites and options, only
# the client-certificate demand differs); the protocol check also runs on the
# main port. No network beyond 127.0.0.1 (no DNS, no OCSP/CRL fetching).
set -euo pipefail

IT_NAME=testssl
. "$(dirname "$0")/it_lib.sh"

TESTSSL=$(command -v testssl || command -v testssl.sh || true)
if [ -z "$TESTSSL" ]; then
    echo "FAIL setup: testssl not installed (Debian package testssl.sh)"
    exit 1
fi

make_certs admin:d1:admin
start_server --enroll_listen=127.0.0.1:0 --ca_dir="$T/ca"
EPORT=$(grep -o 'enrollment on 127\.0\.0\.1:[0-9]*' "$T/server.log" | head -n1 | sed 's/.*://')
[ -n "$EPORT" ] && ok "enrollment port $EPORT" || bad "no enrollment port in the log"

# run_testssl NAME PORT ARG...: JSON findings in $T/NAME.json, console in $T/NAME.txt.
run_testssl() {
    local name=$1 port=$2
    shift 2
    # Its own temp files under $T; no colour, no banner, no questions.
    TMPDIR="$T" timeout 600 "$TESTSSL" --quiet --color 0 --warnings off --nodns none \
        --connect-timeout 5 --openssl-timeout 5 --add-ca "$T/ca/ca.crt" \
        --jsonfile "$T/$name.json" "$@" "127.0.0.1:$port" >"$T/$name.txt" 2>&1 || true
    if [ -s "$T/$name.json" ] && jq -e 'length > 0' "$T/$name.json" >/dev/null; then
        ok "testssl $name: $(jq length "$T/$name.json") findings"
    else
        bad "testssl $name produced no findings"
        dump "$T/$name.txt"
    fi
}

# Findings rated worse than OK: LOW, MEDIUM, HIGH, CRITICAL (also WARN: a
# check testssl could not finish is not a pass). INFO and OK are fine.
worse_than_ok() {
    jq -r '.[] | select(.severity | IN("LOW","MEDIUM","HIGH","CRITICAL","WARN","FATAL"))
           | "\(.severity) \(.id): \(.finding)"' "$1"
}

run_testssl enroll "$EPORT" --protocols --std --fs --server-defaults --server-preference --vulnerable
# engine_problem is about the openssl testssl runs (no GOST engine), not the
# server; cert_revocation says the test's private CA publishes no CRL or OCSP
# URI, which is about the PKI, not TLS.
bad_findings=$(worse_than_ok "$T/enroll.json" |
    grep -vE '^(WARN engine_problem|HIGH cert_revocation):' || true)
if [ -z "$bad_findings" ]; then ok "no protocol, cipher or vulnerability finding worse than OK"; else
    bad "findings worse than OK:"
    printf '%s\n' "$bad_findings" | sed 's/^/     | /'
fi
same "LUCKY13 not vulnerable" "$(jq -r '.[] | select(.id=="LUCKY13") | .severity' "$T/enroll.json")" "OK"
same "no CBC suite (cipherlist_AVERAGE)" \
    "$(jq -r '.[] | select(.id=="cipherlist_AVERAGE") | .finding' "$T/enroll.json")" "not offered"
same "TLS 1.2 suites: ECDHE with GCM or ChaCha20-Poly1305 only" \
    "$(jq -r '.[] | select(.id=="cipherorder_TLSv1_2") | .finding' "$T/enroll.json")" \
    "ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-CHACHA20-POLY1305"
same "no session tickets (resumption would skip the certificate)" \
    "$(jq -r '.[] | select(.id=="sessionresumption_ticket") | .finding' "$T/enroll.json")" "not supported"
same "TLS 1.3 offered" "$(jq -r '.[] | select(.id=="TLS1_3") | .finding' "$T/enroll.json")" "offered with final"
same "TLS 1.1 not offered" "$(jq -r '.[] | select(.id=="TLS1_1") | .finding' "$T/enroll.json")" "not offered"

run_testssl main "$PORT" --protocols
main_bad=$(worse_than_ok "$T/main.json" | grep -v '^WARN engine_problem:' || true)
[ -z "$main_bad" ] && ok "main port: protocols all OK" || { bad "main port:"; printf '%s\n' "$main_bad" | sed 's/^/     | /'; }

# The summary, for the record.
echo "testssl summary (enrollment port):"
jq -r '.[] | "  \(.severity) \(.id): \(.finding)"' "$T/enroll.json" | grep -vE '^  INFO (cert_|cipher_x|cipher-tls|clientsimulation)' || true

finish
