#!/usr/bin/env bash
# The client keeps its TLS session in its spool folder (.tls-session, 0600)
# and offers it at the next connection, which then resumes instead of
# making a full handshake; a certificate revoked meanwhile is still refused
# at Hello, and its session is not offered again. Nothing of the session
# is printed or logged.
set -euo pipefail

IT_NAME=tls_resume
. "$(dirname "$0")/it_lib.sh"

make_certs admin:d1:admin c1:c1:community
start_server
add_base_tree

SESSION="$T/home/.local/share/huizong/spool/.tls-session"
resumed() { grep -c '(session resumed), fingerprint' "$T/server.log" || true; }

check "first summary (full handshake)" 0 hz $(as c1) summary --year 2020
is "session kept" "yes" "$([ -s "$SESSION" ] && echo yes || echo no)"
is "session file is 0600" "600" "$(stat -c %a "$SESSION" 2>/dev/null || echo none)"
expect "session names its certificate" "$SESSION" "cert "
before=$(resumed)
check "second summary (resumed)" 0 hz $(as c1) summary --year 2020
is "server resumed the session" "$((before + 1))" "$(resumed)"

# Another identity does not get c1's session (it is bound to the certificate).
before=$(resumed)
check "admin with c1's session file" 0 hz $(as admin) admin cert list --unit c1
is "another certificate makes a full handshake" "$before" "$(resumed)"
check "c1 again after admin's connection" 0 hz $(as c1) summary --year 2020
is "admin's session replaced c1's: full handshake" "$before" "$(resumed)"
check "c1 once more" 0 hz $(as c1) summary --year 2020
is "resumed again" "$((before + 1))" "$(resumed)"

FP=$(openssl x509 -in "$T/creds/c1/client.crt" -outform DER | sha256sum | cut -d' ' -f1)
# The administrator's own spool, so c1's session stays in place.
check "revoke c1's certificate" 0 hz --spool "$T/admin-spool" $(as admin) admin cert revoke \
    --fingerprint "$FP" --reason "laptop lost"
before=$(resumed)
check "revoked certificate refused at Hello of a resumed session" 3 hz $(as c1) summary --year 2020 || true
expect "refusal names the revocation" "$T/err" "was revoked"
is "that connection was resumed" "$((before + 1))" "$(resumed)"
is "refused session not kept" "no" "$([ -e "$SESSION" ] && echo yes || echo no)"

is "no session in the server log" "0" "$(grep -c 'SSL SESSION' "$T/server.log" || true)"
is "no session in the client output" "0" "$(cat "$T/out" "$T/err" | grep -c 'SSL SESSION' || true)"

finish
