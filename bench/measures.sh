#!/usr/bin/env bash
# Issue 19's benchmark: $evaluate-measure over a store of REFERRALS referrals with their closures
# and paired wellbeing measurements (docs/performance.md, "Outcome measures (issue 19)"). A Release
# gateway on a fresh embedded cluster seeds the sandbox's demo referrals (every state, ONS4
# measurements first and last), bench/Gateway.LoadDriver/clone-outcomes.sql clones them in SQL,
# spread over twelve months; then each Measure is evaluated over HTTP for those twelve months, as
# the demo commissioner (walsall-icb-reports: its area holds 5 of the 6 demo referrals), at type
# level (measure=…) and, last, every Measure in one call. One row per request kind: the median of
# RUNS calls after one warm-up call, wall time and the CPU the gateway and PostgreSQL used.
# Run from the repository root:
#
#   bench/measures.sh                         # 100,000 referrals, 5 runs each
#   REFERRALS=20000 RUNS=3 bench/measures.sh
#
# Settings (environment): REFERRALS (100000), RUNS (5), WARMUP (1: one call first, not counted;
# 0: none), CSV (1: also the CSV row), PORT (8091), FOLDER and KEEP as for bench/load.sh
# (bench/load-folders.sh). A FOLDER that already holds REFERRALS referrals is measured as it is:
# nothing is seeded or cloned again.
set -euo pipefail
cd "$(dirname "$0")/.."

REFERRALS=${REFERRALS:-100000}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
CSV=${CSV:-1}
PORT=${PORT:-8091}
KEYS=src/Gateway.Api/Demo/demo-client-keys.private.json

dotnet build -c Release src/Gateway.Api/Gateway.Api.csproj -v quiet -nologo >&2
dotnet build -c Release src/Gateway.Cli/Gateway.Cli.csproj -v quiet -nologo >&2
source bench/load-folders.sh
prepare_folders

# The recurring jobs that would walk the cloned referrals (SLA checks, delivery, the monthly
# reports) are put off to next year, so the measurement has the machine to itself.
log=$WORK/gateway.log
(cd src/Gateway.Api && exec dotnet bin/Release/net10.0/Gateway.Api.dll --urls "http://127.0.0.1:$PORT" \
    --Logging:LogLevel:Default=Warning --Gateway:RateLimit:PermitsPerWindow=1000000 \
    --Gateway:EmbeddedPostgres:Folder="$FOLDER" --Gateway:PartnersFile=Demo/partners.json --Gateway:Demo:Seed=true \
    "--Gateway:Jobs:SlaSchedule=0 0 1 1 *" "--Gateway:Jobs:DeliverySchedule=0 0 1 1 *" \
    "--Gateway:Jobs:MeasureReportsSchedule=0 0 1 1 *") > "$log" 2>&1 &
gateway=$!
stop() {
    kill "$gateway" 2>/dev/null && wait "$gateway" 2>/dev/null || true
    remove_folders
}
trap stop EXIT
# Up to ten minutes: a start that derives the kept facts or the audience of a large store again
# (their scripts changed) takes minutes before it serves.
for _ in $(seq 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/ready" && break
    kill -0 "$gateway" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 1
done

postmaster=$(head -1 "$FOLDER/data/postmaster.pid")
psql_gateway() {
    PGPASSWORD=$(cat "$FOLDER/password") psql -q -h 127.0.0.1 -p "$(sed -n 4p "$FOLDER/data/postmaster.pid")" -U gateway -d gateway "$@"
}
seeded=$(psql_gateway -At -c "select count(*) from resource where resource_type = 'Task' and not is_deleted")
copies=$(( REFERRALS / seeded - 1 ))
if (( copies > 0 )); then
    echo "cloning the $seeded demo referrals $copies times in SQL …" >&2
    start=$(date +%s)
    psql_gateway -v copies="$copies" -f bench/Gateway.LoadDriver/clone-outcomes.sql >&2
    echo "cloned in $(( $(date +%s) - start )) s" >&2
fi
referrals=$(psql_gateway -At -c "select count(*) from resource where resource_type = 'Task' and not is_deleted")
measurements=$(psql_gateway -At -c "select count(*) from resource where resource_type = 'QuestionnaireResponse' and not is_deleted")

# CPU ticks (USER_HZ, 100 a second) from /proc/<pid>/stat, fields 14 and 15 (utime, stime); for
# PostgreSQL the postmaster with its reaped children (16, 17) and every live backend.
ticks() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk -v reaped="$2" '{ print $12 + $13 + (reaped ? $14 + $15 : 0) }' || echo 0; }
gateway_ticks() { ticks "$gateway" 0; }
postgres_ticks() {
    local sum
    sum=$(ticks "$postmaster" 1)
    for pid in $(ps -o pid= --ppid "$postmaster"); do sum=$(( sum + $(ticks "$pid" 0) )); done
    echo "$sum"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

token() {
    dotnet src/Gateway.Cli/bin/Release/net10.0/gateway.dll token --gateway "http://127.0.0.1:$PORT/fhir" --client walsall-icb-reports \
        --keys "$KEYS" --scope "system/Measure.rs system/MeasureReport.rs"
}
period="periodStart=$(date -u -d "$(date -u +%Y-%m-01) -11 months" +%Y-%m)&periodEnd=$(date -u +%Y-%m)"

# One row: the median of RUNS calls of a URL (after one warm-up call), each with a fresh token.
row() {
    local label=$1 url=$2 accept=${3:-application/fhir+json} auth walls=() gws=() pgs=() bytes
    auth="Authorization: Bearer $(token)"
    if [[ $WARMUP == 1 ]] && ! curl -s --fail-with-body -o "$WORK/answer" "$url" -H "$auth" -H "Accept: $accept"; then
        echo "$label failed:" >&2; head -c 3000 "$WORK/answer" >&2; echo >&2; tail -40 "$log" >&2; exit 1
    fi
    for _ in $(seq "$RUNS"); do
        local g0 p0 result
        auth="Authorization: Bearer $(token)" # tokens last five minutes; a call may take one
        g0=$(gateway_ticks); p0=$(postgres_ticks)
        if ! result=$(curl -s --fail-with-body -o "$WORK/answer" -w '%{time_total} %{size_download}' "$url" -H "$auth" -H "Accept: $accept"); then
            echo "$label failed:" >&2; head -c 3000 "$WORK/answer" >&2; echo >&2; tail -40 "$log" >&2; exit 1
        fi
        gws+=($(( $(gateway_ticks) - g0 ))); pgs+=($(( $(postgres_ticks) - p0 )))
        walls+=("${result% *}"); bytes=${result#* }
    done
    printf '| %s | %s | %.0f | %.0f | %.0f | %s |\n' "$label" "$RUNS" \
        "$(printf '%s\n' "${walls[@]}" | median | awk '{ print $1 * 1000 }')" \
        "$(printf '%s\n' "${gws[@]}" | median | awk '{ print $1 * 10 }')" \
        "$(printf '%s\n' "${pgs[@]}" | median | awk '{ print $1 * 10 }')" "$bytes"
    echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
}

base="http://127.0.0.1:$PORT/fhir"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "store: $referrals referral Tasks, $measurements QuestionnaireResponses; period: $period (twelve months)"
echo "| request (commissioner walsall-icb) | runs | median ms | gateway CPU ms | PostgreSQL CPU ms | bytes |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for measure in referrals-received referrals-accepted first-contact referrals-completed referrals-closed sla-breaches wellbeing-change; do
    row "\`Measure/\$evaluate-measure?measure=$measure\`" "$base/Measure/\$evaluate-measure?measure=$measure&$period"
done
[[ $CSV == 1 ]] && row "\`Measure/wellbeing-change/\$evaluate-measure\` as CSV" "$base/Measure/wellbeing-change/\$evaluate-measure?$period" text/csv
row "\`Measure/\$evaluate-measure\`, every Measure (Bundle)" "$base/Measure/\$evaluate-measure?$period"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
