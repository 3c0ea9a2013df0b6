#!/usr/bin/env bash
# Sets up and starts DM# on this machine: installs dependencies, builds, and runs dm-master on
# port 8261 with its data under ./.dm-data (override with DM_DATA_DIR / DM_MASTER_ADDR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Dm.slnx -c Release -nologo -v q
data="${DM_DATA_DIR:-$PWD/.dm-data}"
mkdir -p "$data/master"
exec dotnet src/Dm.Master/bin/Release/net10.0/dm-master.dll \
  --master-addr "${DM_MASTER_ADDR:-127.0.0.1:8261}" --data-dir "$data/master" "$@"
