#!/usr/bin/env bash
# Sets up and starts DM# on this machine: installs dependencies, builds, and runs one dm-master
# (OpenAPI on 127.0.0.1:8261) and one dm-worker (127.0.0.1:8262) joined to it, with their data under
# ./.dm-data. Ctrl-C stops both. Override with DM_DATA_DIR, DM_MASTER_ADDR, DM_WORKER_ADDR.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Dm.slnx -c Release -nologo -v q
data="${DM_DATA_DIR:-$PWD/.dm-data}"
master_addr="${DM_MASTER_ADDR:-127.0.0.1:8261}"
worker_addr="${DM_WORKER_ADDR:-127.0.0.1:8262}"
mkdir -p "$data/master" "$data/worker"

dotnet src/Dm.Master/bin/Release/net10.0/dm-master.dll --name master1 \
  --master-addr "$master_addr" --data-dir "$data/master" "$@" &
master=$!
trap 'kill $master ${worker:-} 2>/dev/null; wait' INT TERM EXIT
for _ in $(seq 1 100); do
  curl -fs "http://$master_addr/status" >/dev/null 2>&1 && break
  kill -0 $master 2>/dev/null || { echo "dm-master did not start" >&2; exit 1; }
  sleep 0.2
done
(cd "$data/worker" && exec dotnet "$OLDPWD/src/Dm.Worker/bin/Release/net10.0/dm-worker.dll" --name worker1 \
  --worker-addr "$worker_addr" --join "$master_addr" --join-secret-file "$data/master/join-secret") &
worker=$!
echo "DM# is up: OpenAPI at http://$master_addr/api/v1 (docs: http://$master_addr/api/v1/docs), worker at $worker_addr"
wait
