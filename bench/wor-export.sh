#!/usr/bin/env bash
# Issue 18's wor-export file end to end, as a new user would send it: a Release gateway on a fresh
# embedded cluster, De Brug's referrals to the welfare organisation made over HTTP and cloned in
# SQL to ROWS referrals, a ROWS-row wor-export/v1 file made by the load driver (one row per
# referral, rows 1 to 4 of the shared sample in turn), sent with `gateway send` (the CLI, its
# progress on standard error, one line per rejected row and the summary on standard output). Prints
# the seconds from the send to its summary, rows a second, and the CPU of the gateway and of
# PostgreSQL (the postmaster, its live backends and the children it reaped) over the send, per row.
# Run from the repository root:
#
#   bench/wor-export.sh                  # 100,000 rows
#   ROWS=10000 bench/wor-export.sh
#
# Settings (environment): ROWS (default 100000), HTTP_REFERRALS (made over HTTP before cloning,
# default 1000; ROWS must be a multiple of it), PORT (8092), FOLDER (the cluster's folder, default
# a new one under /tmp; deleted at the end unless KEEP=1), CHUNK (Gateway:Records:ChunkRows, the
# gateway's default when unset), AT_ONCE (Gateway:Records:ChunksAtOnce, chunks of the file applied
# side by side; the gateway's default when unset), STATEMENTS=1 (the gateway with Gateway:Database:TrackStatements: after
# the send, PostgreSQL's statements with their calls and time a row, from pg_stat_statements, and
# its WAL bytes, full-page images and checkpoints, from pg_stat_wal and pg_stat_bgwriter, all reset
# just before the send; and each statement's time and buffer hits a row in each quarter of the file, from copies of
# pg_stat_statements taken as the processed rows pass a quarter, so a statement whose plan the growing store outgrows
# shows), TIMELINE=FILE (every half second of the send: CPU ticks of all CPUs busy and idle, of the
# gateway, of PostgreSQL and of the CLI, into FILE). The CLI's CPU over the send is printed too.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-100000}
HTTP_REFERRALS=${HTTP_REFERRALS:-1000}
PORT=${PORT:-8092}
FOLDER=${FOLDER:-$(mktemp -d /tmp/gateway-wor.XXXXXX)/postgres}
RUN=${RUN:-w$(date +%s)}
work=$(dirname "$FOLDER")

dotnet build -c Release src/Gateway.Api/Gateway.Api.csproj -v quiet -nologo >&2
dotnet build -c Release bench/Gateway.LoadDriver/Gateway.LoadDriver.csproj -v quiet -nologo >&2
dotnet build -c Release src/Gateway.Cli/Gateway.Cli.csproj -v quiet -nologo >&2
mkdir -p "$work"
chmod a+rx "$work" # the cluster runs as 'postgres' when the gateway runs as root; mktemp makes it 0700

settings=()
if [[ -n ${CHUNK:-} ]]; then settings+=("--Gateway:Records:ChunkRows=$CHUNK"); fi
if [[ -n ${AT_ONCE:-} ]]; then settings+=("--Gateway:Records:ChunksAtOnce=$AT_ONCE"); fi
if [[ ${STATEMENTS:-0} == 1 ]]; then settings+=("--Gateway:Database:TrackStatements=true"); fi
log=$work/gateway.log
(cd src/Gateway.Api && exec dotnet bin/Release/net10.0/Gateway.Api.dll --urls "http://127.0.0.1:$PORT" \
    --Logging:LogLevel:Default=Warning --Gateway:RateLimit:PermitsPerWindow=1000000 \
    --Gateway:EmbeddedPostgres:Folder="$FOLDER" \
    --Gateway:PartnersFile=../../bench/Gateway.LoadDriver/loadtest-partners.json \
    "--Gateway:Jobs:SlaSchedule=0 0 1 1 *" "--Gateway:Jobs:DeliverySchedule=0 0 1 1 *" "${settings[@]}") > "$log" 2>&1 &
gateway=$!
sampler=
stop() {
    [[ -n $sampler ]] && kill "$sampler" 2>/dev/null || true
    kill "$gateway" 2>/dev/null && wait "$gateway" 2>/dev/null || true
    if [[ ${KEEP:-0} != 1 ]]; then rm -rf "$work"; fi
}
trap stop EXIT
for _ in $(seq 180); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/ready" && break
    kill -0 "$gateway" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 1
done

keys=bench/Gateway.LoadDriver/loadtest-client-keys.private.json
driver=(dotnet bench/Gateway.LoadDriver/bin/Release/net10.0/Gateway.LoadDriver.dll --gateway "http://127.0.0.1:$PORT/"
    --gateway-pid "$gateway" --postgres-folder "$FOLDER" --keys "$keys" --run "$RUN")
echo "preloading $HTTP_REFERRALS referrals of De Brug over HTTP …" >&2
"${driver[@]}" --scenario preload-wor --count "$HTTP_REFERRALS" --concurrency 8 | tail -1 >&2
copies=$(( ROWS / HTTP_REFERRALS - 1 ))
if (( copies > 0 )); then
    echo "cloning them $copies times in SQL …" >&2
    PGPASSWORD=$(cat "$FOLDER/password") psql -q -h 127.0.0.1 -p "$(sed -n 4p "$FOLDER/data/postmaster.pid")" -U gateway -d gateway \
        -v copies="$copies" -f bench/Gateway.LoadDriver/clone-referrals.sql >&2
fi
file=$work/wor-export-$ROWS.csv
"${driver[@]}" --scenario wor-export-file --count "$HTTP_REFERRALS" --rows "$ROWS" --out "$file"

# CPU seconds (user + system) of the gateway, and of PostgreSQL: the postmaster with the children it
# reaped, and its live backends.
postmaster=$(head -1 "$FOLDER/data/postmaster.pid")
ticks=$(getconf CLK_TCK)
# Read with bash's own read, not a process a file: with an awk for each of PostgreSQL's 20-odd processes, TIMELINE's
# sampler took about a seventh of a core and the 100,000-row send 3-4 s longer (docs/performance.md, seventeenth pass).
# Fields 14-17 are utime, stime, cutime and cstime; neither command name has a space to shift them.
cpu() {
    local f gw pg p
    read -r -a f < "/proc/$gateway/stat"; gw=$(( f[13] + f[14] ))
    read -r -a f < "/proc/$postmaster/stat"; pg=$(( f[13] + f[14] + f[15] + f[16] ))
    for p in $(pgrep -P "$postmaster"); do
        { read -r -a f < "/proc/$p/stat" && pg=$(( pg + f[13] + f[14] )); } 2>/dev/null || true # it may have ended since pgrep
    done
    echo "$gw $pg"
}
peak=$work/peak-rss
echo 0 > "$peak"
( while sleep 1; do
    rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$gateway/status" 2>/dev/null || echo 0)
    (( rss > $(cat "$peak") )) && echo "$rss" > "$peak"
  done ) &
sampler=$!

pg() {
    PGPASSWORD=$(cat "$FOLDER/password") psql -q -h 127.0.0.1 -p "$(sed -n 4p "$FOLDER/data/postmaster.pid")" -U gateway -d gateway "$@"
}
if [[ ${STATEMENTS:-0} == 1 ]]; then
    pg -c 'select pg_stat_statements_reset()' -c "select pg_stat_reset_shared('wal')" -c "select pg_stat_reset_shared('bgwriter')" > /dev/null
fi
report=$work/send-report.txt
# Rows processed, counted in the store: a send that stopped early is reported for what it did.
processed() { pg -At -c 'select count(*) from partner_record where processed_at is not null'; }
processed0=$(processed)
quarters=
if [[ ${STATEMENTS:-0} == 1 ]]; then
    # A copy of the statements' counters (with the rows processed) each time a quarter of the file is passed. The
    # quarters are watched through partner_record's update counter (cheap, about a second late); counting the processed
    # rows each second instead scanned the whole record log, a cost that itself grew with the file.
    pg -c 'drop table if exists bench_statements; create table bench_statements (quarter int, processed bigint, queryid bigint, total_exec_time float8, shared_blks_hit bigint, query text)' > /dev/null
    updates() { pg -At -c "select n_tup_upd from pg_stat_user_tables where relname = 'partner_record'"; }
    updates0=$(updates)
    ( set +e; quarter=1
      while (( quarter < 4 )); do
          sleep 1
          n=$(updates 2>/dev/null) || break
          if (( n - updates0 >= quarter * ROWS / 4 )); then
              pg -c "insert into bench_statements select $quarter, (select count(*) from partner_record where processed_at is not null) - $processed0,
                         queryid, sum(total_exec_time), sum(shared_blks_hit), min(query) from pg_stat_statements group by queryid" > /dev/null
              quarter=$((quarter + 1))
          fi
      done ) &
    quarters=$!
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
read -r gw0 pg0 < <(cpu)
start=$(date +%s.%N)
status=0
# The CLI's CPU (user + system seconds) as GNU time gives it when the CLI exits.
/usr/bin/time -f '%U %S' -o "$work/cli-cpu" dotnet src/Gateway.Cli/bin/Release/net10.0/gateway.dll send "$file" --gateway "http://127.0.0.1:$PORT" --keys "$keys" > "$report" &
timer=$!
until cli=$(pgrep -P "$timer") || ! kill -0 "$timer" 2>/dev/null; do sleep 0.05; done
cli=${cli:-$timer}
if [[ -n ${TIMELINE:-} ]]; then
    # Every half second: seconds since the send started, then CPU ticks since then of all CPUs busy and idle
    # (/proc/stat), of the gateway, of PostgreSQL and of the CLI.
    ( set +e; read -r _ u n s i w q sq st _ < /proc/stat; busy0=$((u + n + s + q + sq + st)); idle0=$((i + w))
      read -r g0 p0 < <(cpu); c0=$(awk '{print $14 + $15}' "/proc/$cli/stat")
      echo "seconds busy idle gateway postgres cli gateway_waiting postgres_waiting"
      while kill -0 "$cli" 2>/dev/null; do
          read -r _ u n s i w q sq st _ < /proc/stat
          read -r g p < <(cpu)
          { read -r -a f < "/proc/$cli/stat" && c=$(( f[13] + f[14] )); } 2>/dev/null || c=$c0
          # Time runnable but waiting for a core (schedstat's second field, ns, as ticks): the live threads of the
          # gateway and of PostgreSQL's processes, so a busy machine's share shows apart from the pipeline's own gaps.
          gwait=$(cat /proc/"$gateway"/task/*/schedstat 2>/dev/null | awk -v hz="$ticks" '{ t += $2 } END { printf "%d", t * hz / 1e9 }')
          pwait=$(cat /proc/"$postmaster"/schedstat $(pgrep -P "$postmaster" | sed 's|.*|/proc/&/schedstat|') 2>/dev/null | awk -v hz="$ticks" '{ t += $2 } END { printf "%d", t * hz / 1e9 }')
          echo "$(awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }') $((u + n + s + q + sq + st - busy0)) $((i + w - idle0)) $((g - g0)) $((p - p0)) $((c - c0)) $gwait $pwait"
          sleep 0.5
      done ) > "$TIMELINE" &
fi
wait "$timer" || status=$?
if [[ -n $quarters ]]; then kill "$quarters" 2>/dev/null || true; fi
end=$(date +%s.%N)
read -r gw1 pg1 < <(cpu)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
done_rows=$(( $(processed) - processed0 ))

echo "gateway send's last lines (exit $status):"
tail -4 "$report"
awk -v rows="$done_rows" -v file_rows="$ROWS" -v s0="$start" -v s1="$end" -v g0="$gw0" -v g1="$gw1" -v p0="$pg0" -v p1="$pg1" -v hz="$ticks" \
    -v cli_cpu="$(awk 'END {print $1 + $2}' "$work/cli-cpu")" -v rss="$(cat "$peak")" -v lb="$load_before" -v la="$load_after" -v cores="$(nproc)" 'BEGIN {
    secs = s1 - s0; g = (g1 - g0) / hz; p = (p1 - p0) / hz; c = cli_cpu
    if (rows < file_rows) printf "the send stopped early: %d of the %d rows in the file processed; the figures below are for those\n", rows, file_rows
    if (rows == 0) exit
    print "| rows | seconds | rows per second | gateway CPU | PostgreSQL CPU | gateway + PostgreSQL CPU | CLI CPU | gateway peak RSS MB | load before | load after | cores |"
    print "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |"
    printf "| %d | %.1f | %.0f | %.1f s (%.2f ms/row) | %.1f s (%.2f ms/row) | %.2f ms/row | %.1f s (%.2f ms/row) | %d | %s | %s | %d |\n",
        rows, secs, rows / secs, g, g * 1000 / rows, p, p * 1000 / rows, (g + p) * 1000 / rows, c, c * 1000 / rows, rss, lb, la, cores
}'
if [[ ${STATEMENTS:-0} == 1 && $done_rows -gt 0 ]]; then
    echo
    echo "WAL and checkpoints during the send (pg_stat_wal, pg_stat_bgwriter):"
    pg -v rows="$done_rows" -P pager=off <<'SQL'
select round(w.wal_bytes / :rows) as wal_bytes_a_row, round(w.wal_fpi::numeric / :rows, 2) as full_page_images_a_row,
       round(w.wal_records::numeric / :rows, 1) as wal_records_a_row, b.checkpoints_timed, b.checkpoints_req, b.buffers_checkpoint, b.buffers_backend
from pg_stat_wal w, pg_stat_bgwriter b;
SQL
    echo
    echo "statements during the send, a row (pg_stat_statements):"
    # psql interpolates :rows in a script, not in -c.
    pg -v rows="$done_rows" -P pager=off <<'SQL'
select round(sum(calls)::numeric / :rows, 2) as calls_a_row, round((sum(total_exec_time) / :rows)::numeric, 3) as ms_a_row from pg_stat_statements;
select round(calls::numeric / :rows, 2) as calls_a_row, round((total_exec_time / :rows)::numeric, 3) as ms_a_row,
       left(regexp_replace(query, '\s+', ' ', 'g'), 140) as query
from pg_stat_statements order by total_exec_time desc limit 40;
SQL
    echo
    echo "statements by quarter of the file: µs of statement time a row, and buffer hits a row, in each quarter (a cost a row"
    echo "that rises from quarter to quarter is a plan the growing store outgrows):"
    pg -v rows="$done_rows" -P pager=off <<'SQL'
with counters as (
    select quarter, processed, queryid, total_exec_time, shared_blks_hit, query from bench_statements
    union all
    select 4, :rows, queryid, sum(total_exec_time), sum(shared_blks_hit), min(query) from pg_stat_statements group by queryid),
stretches as (
    select queryid, quarter, query,
           (total_exec_time - coalesce(lag(total_exec_time) over w, 0)) * 1000 / nullif(processed - coalesce(lag(processed) over w, 0), 0) as us,
           (shared_blks_hit - coalesce(lag(shared_blks_hit) over w, 0))::numeric / nullif(processed - coalesce(lag(processed) over w, 0), 0) as hits
    from counters window w as (partition by queryid order by quarter))
select round(max(us) filter (where quarter = 1)::numeric, 1) as q1_us, round(max(us) filter (where quarter = 2)::numeric, 1) as q2_us,
       round(max(us) filter (where quarter = 3)::numeric, 1) as q3_us, round(max(us) filter (where quarter = 4)::numeric, 1) as q4_us,
       round(max(hits) filter (where quarter = 1), 1) as q1_hits, round(max(hits) filter (where quarter = 4), 1) as q4_hits,
       left(regexp_replace(min(query), '\s+', ' ', 'g'), 90) as query
from stretches group by queryid having count(*) = 4 order by sum(us) desc nulls last limit 15;
SQL
fi
exit "$status"
