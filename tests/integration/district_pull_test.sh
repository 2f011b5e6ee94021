#!/usr/bin/env bash
# huizong pull: everything from cursor 0, nothing new after the returned
# cursor, then a new record, a retraction, and a change whose sequence
# number commits after a higher one (a transaction held open): none skipped.
set -euo pipefail
. "$(dirname "$0")/district_lib.sh"
district_setup

P="hz $(as district) pull"
check "pull everything" 0 $P --out "$T/p0.json"
ALL=$(jq '.records | length' "$T/p0.json")
C1=$(jq '.cursor' "$T/p0.json")
same "pull returns every record" "$ALL" "$(sq -c 'SELECT (SELECT count(*) FROM activity) + (SELECT count(*) FROM indicator_value) + (SELECT count(*) FROM honor)')"
same "cursor is the largest change_seq" "$C1" "$(jq '[.records[].change_seq] | max' "$T/p0.json")"
for name in $(jq -r '.activities[].beneficiaries[]?' "$ROOT"/demo/data/*.json) 受助人张三; do
    if grep -qF "$name" "$T/p0.json"; then bad "pull leaks $name"; fi
done
ok "no beneficiary in pull"

check "pull in pages of 10" 0 $P --page-size 10
same "paged pull: same records, same cursor" "$(jq -c '[(.records | length), .cursor]' "$T/out")" "[$ALL,$C1]"
same "paged pull: no duplicates" "$(jq '[.records[].change_seq] | unique | length' "$T/out")" "$ALL"

check "nothing after the cursor" 0 $P --since "$C1"
same "empty, same cursor" "$(jq -c '[(.records | length), .cursor]' "$T/out")" "[0,$C1]"

cat >"$T/new.json" <<'JSON'
{"activities": [{"record_id": "0b3c1f1e-0000-4000-8000-0000000000aa", "date": "2020-12-01",
  "category": "culture", "title": "年末联欢", "participants": 30}]}
JSON
hz $(as other) submit "$T/new.json" >/dev/null
check "a new record after the cursor" 0 $P --since "$C1"
same "one new record" "$(jq -r '[.records[].title] | join(",")' "$T/out")" "年末联欢"
C2=$(jq '.cursor' "$T/out")

sq -c "UPDATE activity SET retracted_at = now() WHERE record_id = '0b3c1f1e-0000-4000-8000-0000000000aa'"
check "a retraction after the cursor" 0 $P --since "$C2"
same "retracted record returned" "$(jq -c '[.records[] | [.title, .retracted]]' "$T/out")" '[["年末联欢",true]]'
C3=$(jq '.cursor' "$T/out")

check "street-2 pulls its own only" 0 hz $(as street2) pull
same "street-2: only 他社区" "$(jq -r '[.records[].community] | unique | join(",")' "$T/out")" "other"
check "street-1 cannot pull street-2" 4 hz $(as street1) pull --unit street-2
check "bad cursor: usage" 1 $P --since -5
check "bad cursor text: usage" 1 $P --since abc

# A transaction takes a sequence number, then stays open while another
# commits a higher one; the pull must wait for it rather than skip it.
SUB=$(sq -c "SELECT id FROM submission LIMIT 1")
UID_OTHER=$(sq -c "SELECT id FROM org_unit WHERE code = 'other'")
ins() { # RECORD_ID TITLE
    echo "INSERT INTO activity (record_id, unit_id, submission_id, date, category_code, title, content)
          VALUES ('$1', $UID_OTHER, '$SUB', '2020-12-02', 'culture', '$2', '{}');"
}
{ echo "BEGIN;"; ins 0b3c1f1e-0000-4000-8000-0000000000b1 慢事务; echo "SELECT pg_sleep(3); COMMIT;"; } |
    sq >/dev/null &
SLOW=$!
sleep 1
sq -c "$(ins 0b3c1f1e-0000-4000-8000-0000000000b2 快事务)"
check "pull waits for the open transaction" 0 $P --since "$C3"
wait "$SLOW"
same "both changes, the late commit included" "$(jq -r '[.records[].title] | sort | join(",")' "$T/out")" "快事务,慢事务"
C4=$(jq '.cursor' "$T/out")
check "and nothing after" 0 $P --since "$C4"
same "empty after" "$(jq '.records | length' "$T/out")" "0"
finish
