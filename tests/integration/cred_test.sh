#!/usr/bin/env bash
# Enrollment and certificate administration through the huizong command line:
# an administrator makes a one-time code, a community enrolls with it over the
# enrollment port (its key made on its own machine), uses the certificate on
# the main port, is listed, revoked and then refused; the audit trail shows it.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/cred_test.sh
# HZ_KEEP_TMP=1 keeps the temp dir (logs, certificates, data) for inspection.
set -euo pipefail

IT_NAME=cred
. "$(dirname "$0")/it_lib.sh"

# ---------------------------------------------------------------- setup ----
make_certs admin:d1:admin district:d1:district c2:c2:community

check "enroll_listen without ca_dir is a config error" 2 "$HZ_SERVER" --check-config \
    --enroll_listen=127.0.0.1:0 || true
expect "config error names ca_dir" "$T/err" "enroll_listen is set but ca_dir is not"
check "--help documents the enrollment settings" 0 "$HZ_SERVER" --help
expect "enroll_listen documented" "$T/out" "--enroll_listen"
expect "ca_dir documented" "$T/out" "--ca_dir"

server_start "$T/server.log" --enroll_listen=127.0.0.1:0 --ca_dir="$T/ca" --cert_days=30 || true
EPORT=$(grep -o 'enrollment on 127\.0\.0\.1:[0-9]*' "$T/server.log" | head -n1 | sed 's/.*://' || true)
if [ -z "$PORT" ] || [ -z "$EPORT" ]; then
    echo "FAIL setup: huizongd did not get ready with an enrollment port"
    cat "$T/server.log"
    exit 1
fi
ok "huizongd ready on port $PORT, enrollment on $EPORT"

add_base_tree

# ---------------------------------------------------------------- help -----
check "enroll --help" 0 hz enroll --help && expect "enroll help names --code" "$T/out" "--code"
check "admin enroll --help" 0 hz admin enroll --help && expect "documents create" "$T/out" "create "
check "admin cert --help" 0 hz admin cert --help
expect "cert help documents list" "$T/out" "list "
expect "cert help documents revoke" "$T/out" "revoke "
check "admin audit --help" 0 hz admin audit --help && expect "audit help" "$T/out" "--since"
check "huizong --help lists enroll" 0 hz --help && expect "top help lists enroll" "$T/out" "enroll --code"

# ------------------------------------------------------------- enroll ------
check "community cannot create codes" 4 hz $(as c2) admin enroll create --unit c1 --role community || true
expect "refusal says admin only" "$T/err" "PERMISSION_DENIED"
check "code for an unknown unit" 4 hz $(as admin) admin enroll create --unit nowhere --role community || true
expect "unknown unit named" "$T/err" "NOT_FOUND"
check "bad --expires" 1 hz $(as admin) admin enroll create --unit c1 --role community --expires 40d || true

if check "admin creates a code" 0 hz $(as admin) admin enroll create --unit c1 --role community --expires 2h; then
    CODE=$(cat "$T/out")
    case "$CODE" in
        c1/community/????-????-????-????-????-????-????-????) ok "code has the UNIT/ROLE/secret form" ;;
        *) bad "code form: $CODE" ;;
    esac
    n=$(pg "select count(*) from enroll_code where code_hash = encode(sha256(convert_to(replace(split_part('$CODE','/',3),'-',''),'UTF8')),'hex')")
    [ "$n" = 1 ] && ok "only the code's hash is stored" || bad "hash stored: $n"
fi

# The main port wants a client certificate at the handshake, which a new
# machine does not have (the wire-level refusal is in test_cred.c).
check "enroll on the main port is refused" 3 hz enroll --code "$CODE" --ca "$T/ca/ca.crt" \
    --server "127.0.0.1:$PORT" --out "$T/creds/c1-main" || true
expect "main port refusal hints at the enrollment port" "$T/err" "enroll_listen"
[ ! -e "$T/creds/c1-main/client.key" ] && ok "no key left after a refusal on the main port" || bad "key written"

check "enroll without --ca" 1 hz enroll --code "$CODE" --server "127.0.0.1:$EPORT" --out "$T/creds/c1" || true
if check "community enrolls with the code" 0 hz enroll --code "$CODE" --ca "$T/ca/ca.crt" \
    --server "127.0.0.1:$EPORT" --out "$T/creds/c1"; then
    mode=$(stat -c %a "$T/creds/c1/client.key")
    [ "$mode" = 600 ] && ok "client.key is 0600" || bad "client.key mode $mode"
    [ -s "$T/creds/c1/client.crt" ] && [ -s "$T/creds/c1/ca.crt" ] && ok "client.crt and ca.crt written" \
        || bad "client.crt or ca.crt missing"
    FP=$(sed -n 's/.*certificate \([0-9a-f]\{64\}\).*/\1/p' "$T/out")
    [ -n "$FP" ] && ok "enroll prints the fingerprint" || bad "no fingerprint in output"
fi
check "enrolled certificate works on the main port" 0 hz $(as c1) summary --year 2020
check "the code cannot be used twice" 4 hz enroll --code "$CODE" --ca "$T/ca/ca.crt" \
    --server "127.0.0.1:$EPORT" --out "$T/creds/c1-again" || true
expect "reuse says already used" "$T/err" "already used"
check "an existing client.key is not overwritten" 1 hz enroll --code "$CODE" --ca "$T/ca/ca.crt" \
    --server "127.0.0.1:$EPORT" --out "$T/creds/c1" || true
check "a server not signed by --ca is refused" 3 hz enroll --code "$CODE" \
    --ca "$T/creds/c2/client.crt" --server "127.0.0.1:$EPORT" --out "$T/creds/c1-x" || true

# ---------------------------------------------------------- cert admin -----
check "cert list" 0 hz $(as admin) admin cert list --unit c1
expect "cert list shows the enrolled certificate" "$T/out" "$FP"
check "cert list json" 0 hz $(as admin) admin cert list --format json
expect "json has serial" "$T/out" '"serial"'
check "district cannot list certificates" 4 hz $(as district) admin cert list || true
check "revoke an unknown fingerprint" 4 hz $(as admin) admin cert revoke \
    --fingerprint "$(printf '0%.0s' $(seq 64))" || true
expect "unknown fingerprint is NOT_FOUND" "$T/err" "NOT_FOUND"
check "revoke the enrolled certificate" 0 hz $(as admin) admin cert revoke --fingerprint "$FP" \
    --reason "laptop lost"
expect "revoke names it" "$T/out" "revoked $FP"
check "revoked certificate is refused at the next connection" 3 hz $(as c1) summary --year 2020 || true
expect "refusal names the revocation" "$T/err" "was revoked"
check "revoke by unit" 0 hz $(as admin) admin cert revoke --unit c2 --reason "office closed"
check "c2 refused after revoke by unit" 3 hz $(as c2) summary --year 2020 || true

# --------------------------------------------------------------- audit -----
check "admin reads the audit" 0 hz $(as admin) admin audit --since 1h
expect "audit shows the enrollment" "$T/out" "enroll"
expect "audit shows the revocation" "$T/out" "cert_revoke"
check "audit json" 0 hz $(as admin) admin audit --unit c1 --format json --limit 5
expect "audit json has action" "$T/out" '"action": "enroll"'
check "district reads its subtree's audit" 0 hz $(as district) admin audit --unit c1
check "bad --since" 4 hz $(as admin) admin audit --since yesterday || true
# ---------------------------------------------------------------- stop -----
finish
