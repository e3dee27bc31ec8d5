#!/usr/bin/env bash
# Rehearses Isfahan's candidacy through the API alone, from the memorandum to membership of the
# network, in about two minutes, against a running stack (`npm start`). Each party acts on what its
# own GET /me/tasks shows, with a token of its own; the script stops with an error if a task does
# not show where it should. See docs/rehearsal.md.
#
#   scripts/rehearse-isfahan.sh                  # the stack of `npm start` on this machine
#   KUDAK_API=http://127.0.0.1:3000 KUDAK_DATA_DIR=var CITY_ID=isfahan-2 scripts/rehearse-isfahan.sh
#
# Needs bash, curl and node, and a built tree (`npm run build`, which `npm start` does): tokens come
# from dist/apps/api/auth/mint-token.js, signed by the local key in KUDAK_DATA_DIR (default var/).
set -euo pipefail
cd "$(dirname "$0")/.."

API="${KUDAK_API:-http://127.0.0.1:${PORT:-3000}}"
CITY="${CITY_ID:-isfahan}"
DISTRICT_COUNT="${DISTRICTS:-15}"
# How long a party waits for a task to show before the rehearsal fails.
WAIT_SECONDS="${WAIT_SECONDS:-120}"
started=$SECONDS

fail() {
  echo "rehearsal failed: $*" >&2
  exit 1
}

# Runs a JavaScript expression over the JSON on stdin (bound to `x`) and prints the result.
json() {
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const x = JSON.parse(s); const r = eval(process.argv[1]);
    console.log(typeof r === "string" ? r : JSON.stringify(r)); });' "$1"
}

# A party's bearer token: role, subject (its id in the candidacy), organisation[, districts].
token() {
  local args=(--role "$1" --sub "$2" --org "$3" --country IR --cities "$CITY" --ttl 1h)
  [[ -n "${4:-}" ]] && args+=(--districts "$4")
  node dist/apps/api/auth/mint-token.js "${args[@]}"
}

# One API call: token, method, path[, JSON body]. Prints the body; any status but 2xx fails.
call() {
  local auth=$1 method=$2 path=$3 body=${4:-} out status
  local args=(-sS -X "$method" "$API$path" -H "Authorization: Bearer $auth" -w $'\n%{http_code}')
  [[ -n "$body" ]] && args+=(-H 'content-type: application/json' --data "$body")
  out=$(curl "${args[@]}")
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  [[ $status == 2* ]] || fail "$method $path answered $status: $out"
  printf '%s' "$out"
}

stage() { call "$ADMIN" GET "/candidacies/$CITY" | json 'x.stage'; }

# A party's open tasks, one line each: kind, district or obligation, due date, overdue.
tasks_of() {
  call "$1" GET /me/tasks | json 'x.map((t) => [t.kind, t.districtId ?? t.obligationId ?? "-", t.dueAt ?? "no deadline", t.overdue ? "OVERDUE" : "on time"].join(" ")).join("\n")'
}

# Waits until a party's /me/tasks shows a task of a kind (for a district or obligation, overdue),
# then says so: who, role, the task. Arguments: name, token, kind[, district or obligation[, OVERDUE]].
await_task() {
  local who=$1 auth=$2 kind=$3 about=${4:-} state=${5:-} deadline=$((SECONDS + WAIT_SECONDS)) line
  while :; do
    line=$(tasks_of "$auth" | grep -E "^$kind ${about:-[^ ]+} .*${state}\$" | head -1 || true)
    [[ -n "$line" ]] && break
    ((SECONDS < deadline)) || fail "$who never saw $kind ${about} ${state} in GET /me/tasks (stage $(stage))"
    sleep 1
  done
  printf '[%s] %s sees %s\n' "$(stage)" "$who" "$line"
}

# Waits until the candidacy is at a stage.
await_stage() {
  local deadline=$((SECONDS + WAIT_SECONDS))
  until [[ "$(stage)" == "$1" ]]; do
    ((SECONDS < deadline)) || fail "the candidacy never reached $1 (it is at $(stage))"
    sleep 1
  done
  echo "[$1] stage entered after $((SECONDS - started)) s"
}

later() { node -e 'console.log(new Date(Date.now() + Number(process.argv[1]) * 1000).toISOString())' "$1"; }

echo "Rehearsing $CITY against $API with $DISTRICT_COUNT districts"
curl -sS -o /dev/null "$API/health" || fail "the API at $API does not answer: is \`npm start\` running?"
# Every party's token, minted side by side (each is a node process), kept in a folder of our own.
tokens=$(mktemp -d)
trap 'rm -rf "$tokens"' EXIT
token administrator focal-point 'Isfahan Municipality' >"$tokens/admin" &
token reviewer plan-reviewer 'Isfahan Municipality' >"$tokens/reviewer" &
token ministry_officer moi-officer 'Ministry of Interior' >"$tokens/ministry" &
token unicef_officer unicef-officer 'UNICEF Iran' >"$tokens/unicef" &
for n in 1 2 3 4; do token committee_member "member-$n" 'National steering committee' >"$tokens/member-$n" & done
districts='' contacts=''
for n in $(seq 1 "$DISTRICT_COUNT"); do
  token district_submitter "mayor-district-$n" "District $n" "district-$n" >"$tokens/district-$n" &
  districts+="{\"id\":\"district-$n\",\"name\":\"District $n\"},"
  contacts+="{\"id\":\"mayor-district-$n\",\"name\":\"Mayor of district $n\",\"role\":\"district_submitter\",\"locale\":\"fa\",\"districtId\":\"district-$n\"},"
done
wait
ADMIN=$(<"$tokens/admin") REVIEWER=$(<"$tokens/reviewer") MINISTRY=$(<"$tokens/ministry") UNICEF=$(<"$tokens/unicef")
MEMBERS=() SUBMITTERS=()
for n in 1 2 3 4; do MEMBERS+=("$(<"$tokens/member-$n")"); done
for n in $(seq 1 "$DISTRICT_COUNT"); do SUBMITTERS+=("$(<"$tokens/district-$n")"); done
for file in "$tokens"/*; do [[ -s "$file" ]] || fail "could not mint a token ($(basename "$file"))"; done
echo "Tokens minted for every party after $((SECONDS - started)) s"

# A second rehearsal on one stack needs a city of its own: say so before anything is sent.
existing=$(curl -sS -o /dev/null -w '%{http_code}' "$API/candidacies/$CITY" -H "Authorization: Bearer $ADMIN" || true)
[[ $existing == 404 ]] ||
  fail "a candidacy for '$CITY' already exists on this stack (GET /candidacies/$CITY answered $existing): rehearse another city with CITY_ID=$CITY-2"

# The rehearsal policy: every duration in seconds or minutes (ISO 8601), two evaluations 20 s apart,
# a renewal opening a minute after accession. UNICEF's funding is due in 30 s and gates implementation.
call "$ADMIN" POST /candidacies "$(
  cat <<JSON
{
  "cityId": "$CITY",
  "cityName": "Isfahan",
  "country": "IR",
  "districts": [${districts%,}],
  "contacts": [
    {"id": "focal-point", "name": "CFC focal point", "role": "administrator", "locale": "fa"},
    {"id": "plan-reviewer", "name": "Plan reviewer", "role": "reviewer", "locale": "fa"},
    {"id": "moi-officer", "name": "Ministry officer", "role": "ministry_officer", "locale": "fa"},
    {"id": "unicef-officer", "name": "UNICEF officer", "role": "unicef_officer", "locale": "en"},
    {"id": "member-1", "name": "Member 1", "role": "committee_member", "locale": "fa"},
    {"id": "member-2", "name": "Member 2", "role": "committee_member", "locale": "fa"},
    {"id": "member-3", "name": "Member 3", "role": "committee_member", "locale": "fa"},
    {"id": "member-4", "name": "Member 4", "role": "committee_member", "locale": "en"},
    ${contacts%,}
  ],
  "obligations": [
    {"id": "unicef-funding", "party": "UNICEF", "partyRole": "unicef_officer", "owedTo": "Isfahan Municipality",
     "description": "Dedicated CFC funding", "dueAt": "$(later 30)", "gatesStage": "IMPLEMENTATION"}
  ],
  "policy": {
    "committee": {"members": ["member-1", "member-2", "member-3", "member-4"], "quorum": 2},
    "districtPlanDays": "PT3M", "districtResubmissionDays": "PT3M", "actionPlanMonths": "PT3M",
    "ministryReviewDays": "PT3M", "committeeDecisionDays": "PT3M", "unicefEndorsementDays": "PT3M",
    "programmeMonths": "PT40S", "evaluationIntervalMonths": "PT20S", "evaluationWindowDays": "PT3M",
    "correctiveActionDays": "PT1M", "finalAssessmentDays": "PT3M", "appealWindowDays": "PT3M",
    "recognitionYears": "PT2M", "renewalLeadMonths": "PT1M",
    "reminderDaysBefore": ["PT10S"], "escalationDaysAfter": ["PT0S"]
  }
}
JSON
)" >/dev/null
await_stage COMMITMENT

# Commitment: the city signs the memorandum; UNICEF sees the obligation it owes.
await_task focal-point "$ADMIN" SIGN_MEMORANDUM
await_task unicef-officer "$UNICEF" FULFIL_OBLIGATION unicef-funding
call "$ADMIN" POST "/candidacies/$CITY/memorandum" '{"reason":"MoU signed by the mayor and UNICEF"}' >/dev/null
await_stage DISTRICT_PLANNING

# District planning: each district's submitter sees its own plan's task (and no other), and submits.
for n in $(seq 1 "$DISTRICT_COUNT"); do
  await_task "mayor-district-$n" "${SUBMITTERS[n - 1]}" SUBMIT_DISTRICT_PLAN "district-$n"
  others=$(tasks_of "${SUBMITTERS[n - 1]}" | grep -v "^SUBMIT_DISTRICT_PLAN district-$n " || true)
  [[ -z "$others" ]] || fail "mayor-district-$n sees another district's task: $others"
  call "${SUBMITTERS[n - 1]}" POST "/candidacies/$CITY/districts/district-$n/plan" \
    "{\"summary\":\"Play streets and safe routes to school in district $n\"}" >/dev/null
done
# The reviewer sees every plan to review, each told in the inbox, and approves them.
for n in $(seq 1 "$DISTRICT_COUNT"); do
  await_task plan-reviewer "$REVIEWER" REVIEW_DISTRICT_PLAN "district-$n" >/dev/null
done
echo "[DISTRICT_PLANNING] plan-reviewer sees $(tasks_of "$REVIEWER" | grep -c '^REVIEW_DISTRICT_PLAN ') plans to review, $(
  call "$REVIEWER" GET '/me/notifications?limit=100' | json 'x.items.filter((n) => n.template === "TASK_ASSIGNED").length'
) new-task notices in the inbox"
for n in $(seq 1 "$DISTRICT_COUNT"); do
  call "$REVIEWER" POST "/candidacies/$CITY/districts/district-$n/review" '{"decision":"APPROVE"}' >/dev/null
done
await_stage ACTION_PLAN

# Action plan: partner bodies, the think tank and the children's council, then the operational plan.
await_task focal-point "$ADMIN" SUBMIT_ACTION_PLAN
for input in 'PARTNER_BODY|Behzisti' 'THINK_TANK|Think tank of child specialists' "CHILDREN_COUNCIL|Children's city council"; do
  call "$ADMIN" POST "/candidacies/$CITY/action-plan/inputs" \
    "{\"source\":\"${input%%|*}\",\"party\":\"${input#*|}\",\"summary\":\"Deliberation session\"}" >/dev/null
done
call "$ADMIN" POST "/candidacies/$CITY/action-plan/submission" '{"summary":"Operational plan 1405"}' >/dev/null
await_stage MINISTRY_REVIEW

await_task moi-officer "$MINISTRY" REVIEW_ACTION_PLAN
call "$MINISTRY" POST "/candidacies/$CITY/action-plan/review" '{"decision":"APPROVE","reason":"Complete"}' >/dev/null
await_stage CANDIDACY_REVIEW

# The steering committee: one member recuses, one dissents; the vote waits for every member.
for n in 1 2 3 4; do await_task "member-$n" "${MEMBERS[n - 1]}" COMMITTEE_VOTE; done
call "${MEMBERS[3]}" POST "/candidacies/$CITY/committee/votes" '{"recuse":true,"reason":"Former district mayor"}' >/dev/null
call "${MEMBERS[0]}" POST "/candidacies/$CITY/committee/votes" '{"vote":"APPROVE"}' >/dev/null
call "${MEMBERS[1]}" POST "/candidacies/$CITY/committee/votes" '{"vote":"REJECT","reason":"No child budget line"}' >/dev/null
echo "[CANDIDACY_REVIEW] one recusal, one approval, one dissent: the quorum is reached, and the vote waits for member-3"
await_task member-3 "${MEMBERS[2]}" COMMITTEE_VOTE
call "${MEMBERS[2]}" POST "/candidacies/$CITY/committee/votes" '{"vote":"APPROVE","reason":"Strong plan"}' >/dev/null
echo "[CANDIDACY_REVIEW] committee: $(call "$ADMIN" GET "/candidacies/$CITY" | json 'JSON.stringify(x.committeeRounds.map((r) => ({ outcome: r.outcome, dissenters: r.dissenters, ballots: r.ballots.map((b) => b.memberId + ":" + (b.recused ? "recused" : b.vote)) })))')"
await_task unicef-officer "$UNICEF" ENDORSE_CANDIDACY
call "$UNICEF" POST "/candidacies/$CITY/endorsement" '{"decision":"ENDORSE"}' >/dev/null
await_stage IMPLEMENTATION

# UNICEF's funding gates implementation; overdue, it is the administrators' task too.
await_task focal-point "$ADMIN" FULFIL_OBLIGATION unicef-funding OVERDUE
await_task unicef-officer "$UNICEF" FULFIL_OBLIGATION unicef-funding OVERDUE
call "$UNICEF" POST "/candidacies/$CITY/obligations/unicef-funding/fulfilment" '{"evidence":"Transfer 2026/114"}' >/dev/null

# Implementation: committee members and Ministry officers see each evaluation coming, then record it.
for evaluator in "moi-officer|$MINISTRY" "member-1|${MEMBERS[0]}"; do
  await_task "${evaluator%%|*}" "${evaluator#*|}" PREPARE_EVALUATION
  await_task member-3 "${MEMBERS[2]}" PREPARE_EVALUATION >/dev/null
  await_task "${evaluator%%|*}" "${evaluator#*|}" RECORD_EVALUATION
  call "${evaluator#*|}" POST "/candidacies/$CITY/evaluations" \
    '{"scores":{"resultsForChildren":4,"childParticipation":4,"nonDiscrimination":5,"localIndicators":[{"name":"Safe routes to school","score":4}]}}' >/dev/null
done
await_stage FINAL_ASSESSMENT

await_task unicef-officer "$UNICEF" RECORD_FINAL_ASSESSMENT
call "$UNICEF" POST "/candidacies/$CITY/final-assessment" \
  '{"demonstratedResults":true,"childParticipation":true,"nonDiscrimination":true}' >/dev/null
await_stage ACCEDED

# A member of the network: the administrators prepare the renewal, due when its cycle opens.
await_task focal-point "$ADMIN" PREPARE_RENEWAL
echo "[ACCEDED] awards: $(call "$ADMIN" GET "/candidacies/$CITY" | json 'x.awards.map((a) => a.kind).join(", ")')"
echo "Rehearsal of $CITY passed every stage in $((SECONDS - started)) s"
