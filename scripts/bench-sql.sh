#!/usr/bin/env bash
# Parser benchmark: parses the DDL corpus (tests/Dm.Sql.Tests/Corpus) on one core and prints statements/s.
# Usage: scripts/bench-sql.sh [seconds-per-measure]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/Dm.Bench.Sql -c Release -nologo -v q
# one core: pin the process so the figure is per-core
exec taskset -c 0 dotnet bench/Dm.Bench.Sql/bin/Release/net10.0/Dm.Bench.Sql.dll tests/Dm.Sql.Tests/Corpus "${1:-3}"
