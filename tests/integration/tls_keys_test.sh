#!/usr/bin/env bash
# Keys and TLS suites (docs/security.md): what `huizong admin cert issue`
# writes is 0600; huizongd refuses to start with a server key (or a signing
# CA key) that group or others may read, and the client refuses to send with
# such a key (exit 1, the chmod to run); TLS 1.2 offers only ECDHE with
# AES-GCM or ChaCha20-Poly1305 (a CBC-only client is refused, a GCM one is
# served), TLS 1.3 as before.
set -euo pipefail

IT_NAME=tls_keys
. "$(dirname "$0")/it_lib.sh"

make_certs admin:d1:admin
is "ca.key is 0600" 600 "$(stat -c %a "$T/ca/ca.key")"
is "server.key is 0600" 600 "$(stat -c %a "$T/server/server.key")"
is "client.key is 0600" 600 "$(stat -c %a "$T/creds/admin/client.key")"

# --- the server's key ---------------------------------------------------------
cp -p "$T/server/server.key" "$T/server/open.key"
for mode in 644 640 604; do
    chmod "$mode" "$T/server/open.key"
    if server_start "$T/open-$mode.log" --tls_key="$T/server/open.key"; then
        bad "huizongd started with a $mode key"
        stop_server || true
    else
        wait "$SERVER_PID" 2>/dev/null && rc=0 || rc=$?
        SERVER_PID=
        [ "$rc" -ne 0 ] && ok "huizongd refuses a $mode key (exit $rc)" || bad "exit 0 with a $mode key"
        expect "names the file and the chmod ($mode)" "$T/open-$mode.log" \
            "private key $T/server/open.key is readable by"
        expect "says: run chmod 600 ($mode)" "$T/open-$mode.log" "(mode 0$mode); run: chmod 600 $T/server/open.key"
    fi
done
expect "group only: says its group" "$T/open-640.log" "is readable by its group (mode 0640)"
expect "others: says others" "$T/open-644.log" "is readable by others (mode 0644)"
PORT=

# The enrollment CA's key too.
mkdir -p "$T/ca-open"
cp -p "$T/ca/ca.crt" "$T/ca/ca.key" "$T/ca-open/"
chmod 644 "$T/ca-open/ca.key"
if server_start "$T/ca-open.log" --enroll_listen=127.0.0.1:0 --ca_dir="$T/ca-open"; then
    bad "huizongd started with a 0644 ca.key"
    stop_server || true
else
    SERVER_PID=
    expect "ca_dir key refused with the chmod" "$T/ca-open.log" \
        "private key $T/ca-open/ca.key is readable by others (mode 0644); run: chmod 600 $T/ca-open/ca.key"
fi
PORT=

start_server
check "0600 client key: served" 0 hz $(as admin) admin stats --format json || true
accepted=$(jq -r .connections_accepted "$T/out")

# --- the client's key -----------------------------------------------------------
cp -rp "$T/creds/admin" "$T/creds/open"
for mode in 644 640; do
    chmod "$mode" "$T/creds/open/client.key"
    check "client refuses a $mode key (exit 1)" 1 hz $(as open) admin stats || true
    expect "client names the key and the chmod ($mode)" "$T/err" \
        "private key $T/creds/open/client.key is readable by"
    expect "client: run chmod 600 ($mode)" "$T/err" "run: chmod 600 $T/creds/open/client.key"
done
chmod 600 "$T/creds/open/client.key"
check "after chmod 600: served" 0 hz $(as open) admin stats --format json || true
# Refused before connecting: the server saw one connection since, this one.
is "nothing was sent with the open key" "$((accepted + 1))" "$(jq -r .connections_accepted "$T/out")"

# --- TLS suites -------------------------------------------------------------------
s_client() {
    openssl s_client -connect "127.0.0.1:$PORT" -CAfile "$T/ca/ca.crt" \
        -cert "$T/creds/admin/client.crt" -key "$T/creds/admin/client.key" "$@" </dev/null
}
cbc_suites="ECDHE-ECDSA-AES128-SHA ECDHE-ECDSA-AES256-SHA ECDHE-ECDSA-AES128-SHA256 ECDHE-ECDSA-AES256-SHA384"
for suite in $cbc_suites; do
    check "TLS 1.2 with only $suite: refused" 1 s_client -tls1_2 -cipher "$suite" || true
    expect "$suite: no shared cipher" "$T/out" "Cipher is (NONE)"
done
check "TLS 1.2 with every CBC suite at once: refused" 1 s_client -tls1_2 -cipher 'ALL:!AESGCM:!CHACHA20:!AESCCM:!ARIAGCM:@SECLEVEL=0' || true
for suite in ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-ECDSA-CHACHA20-POLY1305; do
    check "TLS 1.2 with $suite: served" 0 s_client -tls1_2 -cipher "$suite" || true
    expect "$suite negotiated" "$T/out" "Cipher is $suite"
done
check "TLS 1.3: served" 0 s_client -tls1_3 || true
expect "TLS 1.3 negotiated" "$T/out" "New, TLSv1.3, Cipher is TLS_"
check "TLS 1.1: refused" 1 s_client -tls1_1 || true

finish
