#!/usr/bin/env bash
# Binlog decoding benchmark: a throwaway MariaDB gets a sysbench workload (prepare = bulk inserts,
# then oltp_write_only = updates, deletes, inserts), and the resulting binlog files are decoded by
# Dm.Binlog (every value of every row, one core) and by `mariadb-binlog --base64-output=decode-rows -v`.
# Prints MB/s and events/s of each and the ratio. Not a test: prints figures, asserts nothing.
#
# Figures are per CPU second (the machine may be shared: best of BENCH_ROUNDS rounds, by CPU time).
# Environment: BENCH_TABLES (4), BENCH_TABLE_SIZE (250000), BENCH_RUN_EVENTS (250000 oltp_write_only transactions: a fixed
# count, so the file's make-up does not depend on how busy the machine was), BENCH_ROUNDS (9),
# BENCH_MB_ROUNDS (3, mariadb-binlog runs), BENCH_KEEP_DIR (unset = delete; set = keep and reuse the binlog).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if ! command -v sysbench >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends sysbench
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

tables=${BENCH_TABLES:-4}
table_size=${BENCH_TABLE_SIZE:-250000}
run_events=${BENCH_RUN_EVENTS:-250000}
dir=${BENCH_KEEP_DIR:-$(mktemp -d /tmp/dm-bench-binlog.XXXXXX)}
mkdir -p "$dir"
port=$((20000 + RANDOM % 20000))
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  [ -n "${BENCH_KEEP_DIR:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT

if [ ! -d "$dir/binlog" ] || [ -z "$(ls "$dir/binlog" 2>/dev/null | grep -v index)" ]; then
  echo "== generating the binlog with sysbench ($tables tables x $table_size rows, then $run_events oltp_write_only transactions)"
  rm -rf "$dir/data" "$dir/binlog"; mkdir -p "$dir/binlog"
  mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" --auth-root-authentication-method=normal \
    --skip-test-db >/dev/null
  mariadbd --no-defaults --datadir="$dir/data" --port="$port" --bind-address=127.0.0.1 --socket="$dir/sock" \
    --user="$(id -un)" --server-id=1 --log-bin="$dir/binlog/mysql-bin" --binlog-format=ROW --max-binlog-size=1G \
    --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=0 --sync-binlog=0 --skip-name-resolve \
    --performance-schema=OFF --log-error="$dir/error.log" &
  pid=$!
  for _ in $(seq 1 100); do mariadb -S "$dir/sock" -uroot -e "SELECT 1" >/dev/null 2>&1 && break; sleep 0.2; done
  mariadb -S "$dir/sock" -uroot -e "CREATE DATABASE sbtest; CREATE USER 'sb'@'127.0.0.1' IDENTIFIED BY 'sb'; GRANT ALL ON *.* TO 'sb'@'127.0.0.1';"
  sb=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$port" --mysql-user=sb --mysql-password=sb --mysql-db=sbtest
      --tables="$tables" --table-size="$table_size" --threads=2)
  sysbench oltp_write_only "${sb[@]}" prepare >/dev/null
  sysbench oltp_write_only "${sb[@]}" --events="$run_events" --time=0 --report-interval=0 run >/dev/null
  mariadb -S "$dir/sock" -uroot -e "FLUSH BINARY LOGS"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
fi
files=$(ls "$dir"/binlog/mysql-bin.[0-9]* | sort)
bytes=$(cat $files | wc -c)
echo "== binlog: $(echo $files | wc -w) file(s), $((bytes / 1024 / 1024)) MiB"

dotnet build bench/Dm.Bench.Binlog -c Release -nologo -v q >/dev/null
rounds=${BENCH_ROUNDS:-9}
# Dm.Binlog runs, best of $rounds rounds each by CPU time. "views" = the allocation-free path (BinlogFileScanner over the
# memory-mapped file: no object per event, every value decoded into a ColumnValue and folded into a printed checksum,
# GTID/XID/ANNOTATE fields folded too, other events decoded to objects); "values" = event objects (BinlogFileReader)
# with allocation-free rows; "objects" = RowImage.GetValue (one object per value).
run_dm() { # mode, verify CRC (1/0) -> "cpu wall events rows values rowbytes checksum"
  local out
  # A larger gen0 budget and retained GC memory: the object modes allocate per event and per value.
  out=$(BENCH_NO_CRC=$([ "$2" = 1 ] && echo 0 || echo 1) DOTNET_GCgen0size=0x4000000 DOTNET_GCRetainVM=1 \
        dotnet bench/Dm.Bench.Binlog/bin/Release/net10.0/Dm.Bench.Binlog.dll $files --rounds "$rounds" --mode "$1")
  echo "$(echo "$out" | sed -n 's/^dm_cpu_seconds=//p') $(echo "$out" | sed -n 's/^dm_seconds=//p')" \
       "$(echo "$out" | sed -n 's/^dm_events=//p') $(echo "$out" | sed -n 's/^dm_rows=//p')" \
       "$(echo "$out" | sed -n 's/^dm_values=//p') $(echo "$out" | sed -n 's/^dm_row_event_bytes=//p')" \
       "$(echo "$out" | sed -n 's/^dm_checksum=//p')"
}
values_crc=$(run_dm views 1)
events_crc=$(run_dm values 1)
objects_crc=$(run_dm objects 1)
values_nocrc=$(run_dm views 0)
# Where the time goes: the stages of the views path take turns round by round (same load for each); "floor" is one
# CRC-32 pass over each whole mapped file, the least any reader that checks every checksum must do.
echo "== per-part breakdown (best CPU s of $rounds rounds each, CRC verified)"
dotnet bench/Dm.Bench.Binlog/bin/Release/net10.0/Dm.Bench.Binlog.dll $files --rounds "$rounds" \
  --compare floor,views-frame,views-locate,views | sed 's/, checksum.*//'
echo "   (floor: read + CRC only; views-frame: + framing/checking every event; views-locate: + every column of every row located; views: + every value decoded)"

# mariadb-binlog on one core as well, output discarded; best of 2 runs by CPU time (user + sys), which
# a busy machine disturbs less than wall time. By default it does not verify checksums; -c makes it.
run_mb() { # extra options -> "cpu wall"
  local best_cpu="" best_wall="" t wall cpu
  for _ in $(seq 1 "${BENCH_MB_ROUNDS:-3}"); do
    TIMEFORMAT="%R %U %S"
    t=$( { time taskset -c 0 mariadb-binlog --base64-output=decode-rows -v "$@" $files > /dev/null; } 2>&1 )
    wall=$(echo "$t" | awk '{print $1}'); cpu=$(echo "$t" | awk '{print $2 + $3}')
    if [ -z "$best_cpu" ] || awk -v s="$cpu" -v m="$best_cpu" 'BEGIN { exit !(s < m) }'; then best_cpu=$cpu; best_wall=$wall; fi
  done
  echo "$best_cpu $best_wall"
}
mb_plain=$(run_mb)
mb_crc=$(run_mb --verify-binlog-checksum)

awk -v bytes="$bytes" -v vc="$values_crc" -v ec="$events_crc" -v oc="$objects_crc" -v vn="$values_nocrc" -v mp="$mb_plain" -v mc="$mb_crc" 'BEGIN {
  mib = 1024 * 1024
  split(vc, a, " "); split(ec, e, " "); split(oc, o, " "); split(vn, n, " "); split(mp, p, " "); split(mc, c, " ")
  ev = a[3]; rb = a[6]
  print "MB/s and events/s per CPU second (one core; CPU = user + sys; best of several rounds: the machine may be shared); wall seconds for reference"
  printf "%-34s %8s %8s %10s %12s %12s\n", "decoder", "wall s", "CPU s", "MB/s", "row MB/s", "events/s"
  row("Dm.Binlog views, CRC verified", a[2], a[1]); row("Dm.Binlog event objects, CRC verified", e[2], e[1])
  row("Dm.Binlog value objects, CRC verified", o[2], o[1]); row("Dm.Binlog views, CRC not checked", n[2], n[1])
  row("mariadb-binlog -v -c (CRC verified)", c[2], c[1]); row("mariadb-binlog -v (CRC not checked)", p[2], p[1])
  printf "events=%d rows=%d values=%d row-event bytes=%d of %d; values checksum %s (event objects: %s, value objects: %d values)\n", ev, a[4], a[5], rb, bytes, a[7], e[7], o[5]
  printf "ratio, same work, CRC verified   (mariadb-binlog -c CPU / Dm.Binlog views CPU): %.1fx (wall %.1fx)\n", c[1] / a[1], c[2] / a[2]
  printf "ratio, same work, CRC unchecked  (mariadb-binlog CPU / Dm.Binlog views CPU):    %.1fx (wall %.1fx)\n", p[1] / n[1], p[2] / n[2]
  printf "ratio, event objects, CRC verified (mariadb-binlog -c CPU / Dm.Binlog event objects CPU): %.1fx\n", c[1] / e[1]
  printf "ratio, value objects, CRC verified (mariadb-binlog -c CPU / Dm.Binlog value objects CPU): %.1fx\n", c[1] / o[1]
}
function row(name, wall, cpu) {
  printf "%-34s %8.3f %8.3f %10.1f %12.1f %12.0f\n", name, wall, cpu, bytes / mib / cpu, rb / mib / cpu, ev / cpu
}'
