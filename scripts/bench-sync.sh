#!/usr/bin/env bash
# Incremental catch-up benchmark: one sysbench oltp_write_only binlog backlog (4 tables x 100k rows, 50k transactions
# ~ 200k row changes by default) applied from the same position by a MariaDB replica (slave_parallel_threads = T)
# and by DM# (incremental task, repl_threads = T), and by DM# with relay on (the same task reading the worker's relay log,
# pulled while the backlog was written); rows/s of each, the ratio DM#/replica and the ratio DM# from relay / DM# from
# the upstream, in 3 rounds (alternating which peer goes first, targets reset in between; the median ratios are the
# headline). Then replication lag
# p50/p99 of both under a steady sysbench --rate load, and a checksum of every table of both targets against the
# upstream (a difference fails the run). Not a test: prints figures, asserts nothing about speed.
# Extra arguments go to the benchmark, e.g.:
#   --threads N (4)  --events N (50000)  --table-size N (100000)  --tables N (4)  --sysbench-threads N (4)
#   --parallel-mode optimistic|conservative (optimistic)  --batch N (100)  --lag-seconds N (30)  --lag-rate TPS (200)  --rounds N (3)
#   --skip-replica  --skip-dm  --skip-relay
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if ! command -v sysbench >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends sysbench
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Builds dm-master and dm-worker too (the benchmark starts them as processes).
dotnet build bench/Dm.Bench.Sync -c Release -nologo -v q
dotnet bench/Dm.Bench.Sync/bin/Release/net10.0/Dm.Bench.Sync.dll "$@"
