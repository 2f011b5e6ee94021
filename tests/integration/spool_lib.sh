# Shared by the spool tests (sourced, not run), on top of it_lib.sh: the
# client's spool, the tree of the spool tests, and a restart on the same
# data_dir.
set -euo pipefail

IT_NAME=spool
IT_DUMP_MAX=40
. "$(dirname "${BASH_SOURCE[0]}")/it_lib.sh"
SPOOL="$T/home/.local/share/huizong/spool"

offline() { printf '%s\n' --server 127.0.0.1:1 --creds "$T/creds/$1"; }

reject() {
    if grep -qF -- "$3" "$2"; then
        bad "$1: \"$3\" found in"
        sed 's/^/     | /' "$2" | head -n 20
    else ok "$1"; fi
}


queued_files() { find "$SPOOL" -maxdepth 1 -name '*.hzb' 2>/dev/null | wc -l; }
tmp_files() { find "$SPOOL" -maxdepth 1 -name '.tmp-*' 2>/dev/null | wc -l; }

make_creds() { make_certs admin:d1:admin c1:c1:community c2:c2:community c3:c3:community; }

# Starts huizongd on $T/data (new or existing); port 0 first, then the same port.
start_server() {
    local log="$T/server.log.$((${RESTARTS:-0}))"
    if ! server_start "$log"; then
        echo "FAIL setup: huizongd did not get ready"
        cat "$log"
        exit 1
    fi
    ok "huizongd ready on port $PORT"
}

add_tree() {
    while IFS=: read -r code name level parent; do
        hz $(as admin) admin unit add --code "$code" --name "$name" --level "$level" \
            ${parent:+--parent "$parent"} >/dev/null
    done <<'EOT'
d1:测试区:district:
s1:第一街道:street:d1
c1:一社区:community:s1
c2:二社区:community:s1
c3:三社区:community:s1
EOT
}

# Not it_lib.sh's finish: the spool tests' own wording.
finish() {
    if kill -0 "$SERVER_PID" 2>/dev/null; then ok "huizongd survived"; else bad "huizongd died"; fi
    local rc=0
    stop_server || rc=$?
    if [ "$rc" -eq 0 ]; then ok "huizongd stopped cleanly"; else bad "huizongd exit status $rc"; fi
    if [ "$fails" -gt 0 ]; then
        echo "$fails check(s) failed"
        exit 1
    fi
    echo "all checks passed"
}
