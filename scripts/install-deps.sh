#!/usr/bin/env bash
# Installs what DM# needs to build and test on a fresh Debian machine: MariaDB (server, client,
# install-db, mariadb-binlog: the relay tests read DM#'s relay files with it), etcd and percona-toolkit
# (pt-online-schema-change, run by the online-DDL tests) from Debian's packages. Idempotent; does nothing when all
# are present.
set -euo pipefail
need=()
command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server)
command -v mariadb >/dev/null 2>&1 && command -v mariadb-binlog >/dev/null 2>&1 || need+=(mariadb-client)
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v pt-online-schema-change >/dev/null 2>&1 || need+=(percona-toolkit)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet (the .NET 10 SDK) is required and not on PATH" >&2
  exit 1
fi
