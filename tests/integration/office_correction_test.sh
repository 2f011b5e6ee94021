#!/usr/bin/env bash
# A correction shows what it changes, against a real huizongd: the district
# approving a change to a record in a locked period sees old → new for each
# field that changes (and only those) in `admin correction list`, `show`
# and before `approve` applies it.
. "$(dirname "$0")/spool_lib.sh"

make_certs admin:d1:admin s1:s1:district c1:c1:community
start_server
add_tree

RID=00000000-0000-4000-8000-00000000c0a1
cat >"$T/a.json" <<JSON
{"activities": [{"record_id": "$RID", "date": "2020-06-12", "category": "fire", "title": "消防讲座",
  "location": "社区活动室", "participants": 40, "participants_at_least": true,
  "beneficiaries": ["受助人王秀英"]}]}
JSON
check "c1 submits" 0 hz $(as c1) submit "$T/a.json" || true
check "s1 locks June" 0 hz $(as s1) admin period lock --unit s1 --period 2020-06 || true
cat >"$T/new.json" <<JSON
{"record_id": "$RID", "date": "2020-06-12", "category": "fire", "title": "消防安全讲座",
 "location": "社区活动室", "participants": 48, "beneficiaries": ["受助人王秀英"]}
JSON
if check "c1 files a correction" 0 hz $(as c1) correct "$RID" --file "$T/new.json" --reason "人数填错"; then
    expect "filed" "$T/out" "correction 1 filed"
fi

if check "s1 lists pending corrections" 0 hz $(as s1) admin correction list; then
    expect "list: which record, which version" "$T/out" "correction 1 (c1 amend of record $RID, version 1):"
    expect "list: participants old → new" "$T/out" "  participants: 40 → 48"
    expect "list: the lower bound dropped" "$T/out" "  participants_at_least: true → (empty)"
    expect "list: title old → new" "$T/out" "  title: 消防讲座 → 消防安全讲座"
    reject "list: an unchanged field is not shown" "$T/out" "location:"
    reject "list: no beneficiary's name" "$T/out" "受助人王秀英"
fi
if check "show 1" 0 hz $(as s1) admin correction show 1; then
    expect "show: status and reason" "$T/out" "status pending"
    expect "show: 人数填错" "$T/out" "人数填错"
    expect "show: participants old → new" "$T/out" "  participants: 40 → 48"
fi
check "show of an unknown id" 4 hz $(as s1) admin correction show 9 || true
expect "show: names the id" "$T/err" "no correction 9 within reach"
if check "json has the old content beside the new" 0 hz $(as s1) admin correction list --format json; then
    same "json: old_content 40, content 48" \
        "$(jq -c '.corrections[0] | [.old_content.participants, .content.participants]' "$T/out")" "[40,48]"
fi
if check "s1 approves" 0 hz $(as s1) admin correction approve 1; then
    expect "approve: shows what it applies" "$T/out" "  participants: 40 → 48"
    expect "approve: applied" "$T/out" "correction 1 approved and applied (record version 2)"
fi
same "the record is 48 now" "$(pg "select participants from activity where record_id = '$RID' and is_current")" 48
check "approved corrections still show the change" 0 hz $(as s1) admin correction list --status approved || true
expect "approved: old → new" "$T/out" "  title: 消防讲座 → 消防安全讲座"

finish
