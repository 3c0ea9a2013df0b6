#!/usr/bin/env bash
# Full-copy benchmark: DM# Dump->Load (streaming) vs mydumper+myloader on the same sysbench data set
# (4 tables, ~500 MB by default) with the same thread count. Extra arguments go to the benchmark:
#   --table-size N   rows per table (default 660000)   --threads N (default 4)   --file-mode (also time DM# via files)
#   --extra-args "--filetype csv" (DM# copies through CSV files and LOAD DATA); --also-env DM_DEFER_INDEXES=0 (one more DM#
#   run with that environment); --warm-up (an untimed DM# copy first; default off: the timed copy is the process's first, as a user's first task). Figures include CPU seconds of
#   the client and both servers: on a shared machine compare those, not wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v sysbench >/dev/null || missing+=(sysbench)
command -v mydumper >/dev/null || missing+=(mydumper)   # Debian's mydumper package also ships myloader
command -v mariadbd >/dev/null || missing+=(mariadb-server mariadb-client)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
dotnet run -c Release --project bench/Dm.Bench.FullCopy -- "$@"
