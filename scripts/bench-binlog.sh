#!/usr/bin/env bash
# Binlog decoding benchmark: a throwaway MariaDB gets a sysbench workload (prepare = bulk inserts,
# then oltp_write_only = updates, deletes, inserts), and the resulting binlog files are decoded by
# Dm.Binlog (every value of every row, one core) and by `mariadb-binlog --base64-output=decode-rows -v`.
# Prints MB/s and events/s of each and the ratio. Not a test: prints figures, asserts nothing.
#
# Environment: BENCH_TABLES (4), BENCH_TABLE_SIZE (250000), BENCH_RUN_SECONDS (30), BENCH_KEEP_DIR (unset = delete).
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
run_seconds=${BENCH_RUN_SECONDS:-30}
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
  echo "== generating the binlog with sysbench ($tables tables x $table_size rows, then ${run_seconds}s oltp_write_only)"
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
  sysbench oltp_write_only "${sb[@]}" --time="$run_seconds" --report-interval=0 run >/dev/null
  mariadb -S "$dir/sock" -uroot -e "FLUSH BINARY LOGS"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
fi
files=$(ls "$dir"/binlog/mysql-bin.[0-9]* | sort)
bytes=$(cat $files | wc -c)
echo "== binlog: $(echo $files | wc -w) file(s), $((bytes / 1024 / 1024)) MiB"

dotnet build bench/Dm.Bench.Binlog -c Release -nologo -v q >/dev/null
# A larger gen0 budget: the decoder allocates one object per value and is otherwise GC-bound.
out=$(DOTNET_GCgen0size=0x4000000 dotnet bench/Dm.Bench.Binlog/bin/Release/net10.0/Dm.Bench.Binlog.dll $files --rounds 3)
dm_seconds=$(echo "$out" | sed -n 's/^dm_seconds=//p')
dm_cpu=$(echo "$out" | sed -n 's/^dm_cpu_seconds=//p')
dm_events=$(echo "$out" | sed -n 's/^dm_events=//p')
dm_rows=$(echo "$out" | sed -n 's/^dm_rows=//p')
dm_values=$(echo "$out" | sed -n 's/^dm_values=//p')
dm_row_bytes=$(echo "$out" | sed -n 's/^dm_row_event_bytes=//p')

# mariadb-binlog on one core as well, output discarded; best of 2 runs by CPU time (user + sys), which
# a busy machine disturbs less than wall time.
mb_seconds=""; mb_cpu=""
for _ in 1 2; do
  TIMEFORMAT="%R %U %S"
  t=$( { time taskset -c 0 mariadb-binlog --base64-output=decode-rows -v $files > /dev/null; } 2>&1 )
  wall=$(echo "$t" | awk '{print $1}'); cpu=$(echo "$t" | awk '{print $2 + $3}')
  if [ -z "$mb_cpu" ] || awk -v s="$cpu" -v m="$mb_cpu" 'BEGIN { exit !(s < m) }'; then mb_cpu=$cpu; mb_seconds=$wall; fi
done

awk -v bytes="$bytes" -v rb="$dm_row_bytes" -v ev="$dm_events" -v rows="$dm_rows" -v vals="$dm_values" \
    -v dm="$dm_seconds" -v dmc="$dm_cpu" -v mb="$mb_seconds" -v mbc="$mb_cpu" 'BEGIN {
  mib = 1024 * 1024
  print "MB/s and events/s per CPU second (one core); wall seconds for reference"
  printf "%-16s %8s %8s %10s %12s %12s\n", "decoder", "wall s", "CPU s", "MB/s", "row MB/s", "events/s"
  printf "%-16s %8.3f %8.3f %10.1f %12.1f %12.0f\n", "Dm.Binlog", dm, dmc, bytes / mib / dmc, rb / mib / dmc, ev / dmc
  printf "%-16s %8.3f %8.3f %10.1f %12.1f %12.0f\n", "mariadb-binlog", mb, mbc, bytes / mib / mbc, rb / mib / mbc, ev / mbc
  printf "events=%d rows=%d values=%d row-event bytes=%d of %d\n", ev, rows, vals, rb, bytes
  printf "ratio (mariadb-binlog CPU time / Dm.Binlog CPU time): %.1fx (wall: %.1fx)\n", mbc / dmc, mb / dm
}'
