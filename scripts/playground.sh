#!/usr/bin/env bash
# The DM# playground: one command that builds DM#, starts a private upstream and target MariaDB with a
# sample `shop` database, a dm-master and a dm-worker, creates a source and an `all` task through the
# OpenAPI, shows the copy's progress until the task replicates (Sync), then keeps replicating and
# prints commands to try. Ctrl-C (or SIGTERM) stops exactly the processes it started; its work dir stays.
#
# Usage: scripts/playground.sh [--ha]
#   --ha  three dm-masters forming one cluster (each runs an etcd member; --initial-cluster) instead of one,
#         the worker joined to all three; its work dir defaults to ./.playground-ha
#
# Environment (all optional):
#   DM_PLAYGROUND_DIR         work dir (default ./.playground, or ./.playground-ha): data, logs, playground.env, pids
#   DM_PLAYGROUND_SKIP_BUILD  1 = do not install dependencies or build (use an existing Release build)
#   DM_PLAYGROUND_ROWS        rows of the sample shop.orders (default 200000)
#   DM_PLAYGROUND_UPSTREAM_PORT, DM_PLAYGROUND_TARGET_PORT, DM_PLAYGROUND_MASTER_PORT,
#   DM_PLAYGROUND_WORKER_PORT ports to use; by default free ones are chosen (and reused on a re-run)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
ha=0
for arg in "$@"; do
  case "$arg" in
    --ha) ha=1 ;;
    *) echo "playground: unknown argument '$arg' (usage: scripts/playground.sh [--ha])" >&2; exit 2 ;;
  esac
done
if [ $ha = 1 ]; then work="${DM_PLAYGROUND_DIR:-$repo/.playground-ha}"; else work="${DM_PLAYGROUND_DIR:-$repo/.playground}"; fi
rows="${DM_PLAYGROUND_ROWS:-200000}"
password="playground"
task="playground"
source_name="playground-source"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '\n==> %s\n' "$*"; }
fail() { printf 'playground: %s\n' "$*" >&2; exit 1; }

# ---- processes this run started: "name pid" in $work/pids, stopped on exit -------------------------
started=()
record() { started+=("$2"); echo "$1 $2" >>"$work/pids"; }
stop_started() {
  trap '' INT TERM # a second Ctrl-C must not leave the servers running half-stopped
  trap - EXIT
  [ ${#started[@]} -eq 0 ] && return
  say "Stopping the playground (its data stays in $work)"
  # In reverse order of start: the worker and the master stop before the databases they use.
  local i pid
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    pid=${started[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  wait 2>/dev/null || true
  # A master killed by hand leaves its etcd member running (a master restarted would take it over): stop those too.
  local record member
  for record in "$work"/master*/etcd-member.json; do
    [ -f "$record" ] || continue
    member=$(sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' "$record")
    if [ -n "$member" ] && [ -r "/proc/$member/cmdline" ] && tr '\0' '\n' <"/proc/$member/cmdline" | grep -qx -- "--data-dir=$(dirname "$record")/etcd"; then
      kill -TERM "$member" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$member" 2>/dev/null || break; sleep 0.1; done
    fi
  done
  echo "stopped: every process the playground started has exited"
}
trap 'stop_started; exit 130' INT
trap 'stop_started; exit 143' TERM
trap 'stop_started' EXIT

# ---- build ---------------------------------------------------------------------------------------
if [ "${DM_PLAYGROUND_SKIP_BUILD:-0}" != 1 ]; then
  say "Installing what DM# needs (when missing) and building DM# (Release)"
  bash scripts/install-deps.sh
  if ! command -v curl >/dev/null 2>&1; then # the playground talks to the API with curl
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends curl ca-certificates
  fi
  dotnet build Dm.slnx -c Release -nologo -v q
fi
bin="$repo/src/%s/bin/Release/net10.0/%s.dll"
master_dll="$(printf "$bin" Dm.Master dm-master)"
worker_dll="$(printf "$bin" Dm.Worker dm-worker)"
dmctl_dll="$(printf "$bin" Dm.Ctl dmctl)"
for dll in "$master_dll" "$worker_dll"; do [ -f "$dll" ] || fail "$dll is missing: build DM# first (or unset DM_PLAYGROUND_SKIP_BUILD)"; done
for tool in mariadbd mariadb-install-db mariadb curl; do command -v $tool >/dev/null 2>&1 || fail "$tool is not installed (run scripts/install-deps.sh)"; done

# ---- ports: from the environment, else the previous run's, else free ones ---------------------------
mkdir -p "$work/logs"
: >"$work/pids"
[ -f "$work/playground.env" ] && . "$work/playground.env"
listening_ports() {
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | while read -r _ local _ state _; do
    if [ "$state" = 0A ]; then echo $((16#${local##*:})); fi
  done
  return 0
}
in_use=" $(listening_ports | tr '\n' ' ') "
free_port() {
  # Below the kernel's ephemeral range, so it does not meet the port-0 picks of tests and clients.
  local p
  for _ in $(seq 1 200); do
    p=$((15000 + RANDOM % 17000))
    case "$in_use" in *" $p "*) continue ;; esac
    in_use="$in_use$p "
    echo "$p"; return
  done
  fail "no free port found"
}
port_free() { case "$(listening_ports | tr '\n' ' ')" in *" $1 "* | "$1 "*) return 1 ;; esac; return 0; }
UPSTREAM_PORT="${DM_PLAYGROUND_UPSTREAM_PORT:-${UPSTREAM_PORT:-$(free_port)}}"
TARGET_PORT="${DM_PLAYGROUND_TARGET_PORT:-${TARGET_PORT:-$(free_port)}}"
MASTER_PORT="${DM_PLAYGROUND_MASTER_PORT:-${MASTER_PORT:-$(free_port)}}"
WORKER_PORT="${DM_PLAYGROUND_WORKER_PORT:-${WORKER_PORT:-$(free_port)}}"
ha_ports=()
if [ $ha = 1 ]; then
  # The other two masters' client ports, and each master's etcd peer port.
  MASTER2_PORT="${MASTER2_PORT:-$(free_port)}"; MASTER3_PORT="${MASTER3_PORT:-$(free_port)}"
  PEER1_PORT="${PEER1_PORT:-$(free_port)}"; PEER2_PORT="${PEER2_PORT:-$(free_port)}"; PEER3_PORT="${PEER3_PORT:-$(free_port)}"
  ha_ports=("$MASTER2_PORT" "$MASTER3_PORT" "$PEER1_PORT" "$PEER2_PORT" "$PEER3_PORT")
fi
for p in "$UPSTREAM_PORT" "$TARGET_PORT" "$MASTER_PORT" "$WORKER_PORT" "${ha_ports[@]}"; do
  port_free "$p" || fail "port $p is taken (another playground from $work still running?); set DM_PLAYGROUND_*_PORT or DM_PLAYGROUND_DIR"
done
# What tests and users read: the ports and credentials of this playground.
cat >"$work/playground.env" <<EOF
UPSTREAM_PORT=$UPSTREAM_PORT
TARGET_PORT=$TARGET_PORT
MASTER_PORT=$MASTER_PORT
WORKER_PORT=$WORKER_PORT
DB_USER=root
DB_PASSWORD=$password
TASK=$task
SOURCE=$source_name
EOF
if [ $ha = 1 ]; then
  printf 'MASTER2_PORT=%s\nMASTER3_PORT=%s\nPEER1_PORT=%s\nPEER2_PORT=%s\nPEER3_PORT=%s\n' \
    "$MASTER2_PORT" "$MASTER3_PORT" "$PEER1_PORT" "$PEER2_PORT" "$PEER3_PORT" >>"$work/playground.env"
fi
api="http://127.0.0.1:$MASTER_PORT/api/v1"

# ---- MariaDB upstream (binlog ROW, full row metadata) and target ----------------------------------
sql() { local port=$1; shift; mariadb --no-defaults -h127.0.0.1 -P"$port" -uroot -p"$password" "$@"; }
start_mariadb() { # name port server-id [extra options...]
  local name=$1 port=$2 id=$3; shift 3
  local dir="$work/$name"
  mkdir -p "$dir/tmp" "$dir/binlog"
  if [ ! -d "$dir/data/mysql" ]; then
    if [ -d "$work/template/mysql" ]; then cp -a "$work/template" "$dir/data"; else
      mariadb-install-db --no-defaults --datadir="$work/template" --user="$(id -un)" \
        --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve >"$work/logs/install-db.log" 2>&1 \
        || fail "mariadb-install-db failed, see $work/logs/install-db.log"
      cp -a "$work/template" "$dir/data"
    fi
  fi
  # Runs at every start: root gets the playground password over TCP (idempotent).
  { for host in '%' 127.0.0.1 localhost; do
      echo "CREATE USER IF NOT EXISTS 'root'@'$host' IDENTIFIED BY '$password';"
      echo "ALTER USER 'root'@'$host' IDENTIFIED BY '$password';"
      echo "GRANT ALL PRIVILEGES ON *.* TO 'root'@'$host' WITH GRANT OPTION;"
    done; } >"$dir/init.sql"
  local as_root=(); [ "$(id -u)" -eq 0 ] && as_root=(--user=root)
  mariadbd --no-defaults --datadir="$dir/data" --port="$port" --bind-address=127.0.0.1 \
    --socket="$dir/mysqld.sock" --tmpdir="$dir/tmp" --pid-file="$dir/mysqld.pid" \
    --log-error="$work/logs/$name.err" --init-file="$dir/init.sql" --server-id="$id" "${as_root[@]}" \
    --skip-name-resolve --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=2 \
    --character-set-server=utf8mb4 --performance-schema=OFF "$@" >>"$work/logs/$name.out" 2>&1 &
  record "$name-mariadbd" $!
  local pid=$!
  for _ in $(seq 1 300); do
    sql "$port" -e 'SELECT 1' >/dev/null 2>&1 && return
    kill -0 "$pid" 2>/dev/null || fail "$name mariadbd exited, see $work/logs/$name.err"
    sleep 0.2
  done
  fail "$name mariadbd did not accept connections on $port, see $work/logs/$name.err"
}
say "Starting MariaDB: upstream on 127.0.0.1:$UPSTREAM_PORT, target on 127.0.0.1:$TARGET_PORT"
start_mariadb upstream "$UPSTREAM_PORT" 1 --log-bin="$work/upstream/binlog/mysql-bin" \
  --binlog-format=ROW --binlog-row-image=FULL --binlog-row-metadata=FULL
start_mariadb target "$TARGET_PORT" 2

if [ -z "$(sql "$UPSTREAM_PORT" -N -e "SHOW DATABASES LIKE 'shop'")" ]; then
  say "Seeding upstream database shop: 1000 customers, $rows orders"
  sql "$UPSTREAM_PORT" <<EOF || { sql "$UPSTREAM_PORT" -e 'DROP DATABASE IF EXISTS shop'; fail "seeding failed"; }
CREATE DATABASE shop;
USE shop;
CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, city VARCHAR(50), joined DATE);
CREATE TABLE shop.orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(12,2) NOT NULL,
  note VARCHAR(200), created DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), KEY (customer_id));
INSERT INTO shop.customers SELECT seq, CONCAT('customer ', seq), ELT(1 + seq % 4, 'Lisbon', 'Osaka', 'Lima', 'Oslo'),
  DATE('2020-01-01') + INTERVAL seq DAY FROM seq_1_to_1000;
INSERT INTO shop.orders (id, customer_id, amount, note, created) SELECT seq, 1 + seq % 1000, (seq % 10000) / 100,
  CONCAT('order ', seq), TIMESTAMP('2024-01-01') + INTERVAL seq SECOND FROM seq_1_to_$rows;
EOF
fi

# ---- dm-master(s) and dm-worker ------------------------------------------------------------------
wait_status() { # name pid port
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$3/status" >/dev/null 2>&1 && return
    kill -0 "$2" 2>/dev/null || fail "$1 exited, see $work/logs/$1.log"
    sleep 0.2
  done
  fail "$1 did not answer on port $3, see $work/logs/$1.log"
}
if [ $ha = 0 ]; then
  say "Starting dm-master on 127.0.0.1:$MASTER_PORT and dm-worker on 127.0.0.1:$WORKER_PORT"
  mkdir -p "$work/master" "$work/worker"
  dotnet "$master_dll" --name playground-master --master-addr "127.0.0.1:$MASTER_PORT" \
    --data-dir "$work/master" >>"$work/logs/master.log" 2>&1 &
  record dm-master $!
  wait_status master $! "$MASTER_PORT"
  masters="127.0.0.1:$MASTER_PORT"
  secret_file="$work/master/join-secret"
else
  master_ports=("$MASTER_PORT" "$MASTER2_PORT" "$MASTER3_PORT")
  peer_ports=("$PEER1_PORT" "$PEER2_PORT" "$PEER3_PORT")
  initial_cluster="master1=http://127.0.0.1:$PEER1_PORT,master2=http://127.0.0.1:$PEER2_PORT,master3=http://127.0.0.1:$PEER3_PORT"
  say "Starting three dm-masters (127.0.0.1:$MASTER_PORT, :$MASTER2_PORT, :$MASTER3_PORT; each runs an etcd member) and dm-worker on 127.0.0.1:$WORKER_PORT"
  mkdir -p "$work/worker"
  for i in 0 1 2; do
    n=$((i + 1))
    mkdir -p "$work/master$n"
    # The same command starts a master again after a stop: its etcd member keeps the cluster in its data dir.
    dotnet "$master_dll" --name "master$n" --master-addr "127.0.0.1:${master_ports[i]}" --peer-urls "http://127.0.0.1:${peer_ports[i]}" \
      --initial-cluster "$initial_cluster" --data-dir "$work/master$n" >>"$work/logs/master$n.log" 2>&1 &
    record "dm-master$n" $!
    wait_status "master$n" $! "${master_ports[i]}"
  done
  masters="127.0.0.1:$MASTER_PORT,127.0.0.1:$MASTER2_PORT,127.0.0.1:$MASTER3_PORT"
  secret_file="$work/master1/join-secret"
  # The cluster answers once its masters have elected a leader.
  for _ in $(seq 1 300); do
    curl -s "http://127.0.0.1:$MASTER_PORT/api/v1/cluster/masters" | grep -q '"leader": true' && break
    sleep 0.2
  done
  curl -s "http://127.0.0.1:$MASTER_PORT/api/v1/cluster/masters" | grep -q '"leader": true' || fail "the masters elected no leader, see $work/logs/master*.log"
fi
# The worker's working directory is where it writes (dump files), as in a deployment. It reports its
# subtasks' status with each heartbeat (every third of the keepalive TTL): 6 s keeps the progress live.
(cd "$work/worker" && exec dotnet "$worker_dll" --name playground-worker --worker-addr "127.0.0.1:$WORKER_PORT" \
  --join "$masters" --join-secret-file "$secret_file" --keepalive-ttl 6 >>"$work/logs/worker.log" 2>&1) &
record dm-worker $!
wait_status worker $! "$WORKER_PORT"

# ---- source and task through the OpenAPI ---------------------------------------------------------
call() { # method path [json]: prints the body, fails on a non-2xx answer
  local out code
  out="$(curl -s -w '\n%{http_code}' -X "$1" "$api$2" -H 'Content-Type: application/json' ${3:+-d "$3"})"
  code="${out##*$'\n'}"; out="${out%$'\n'*}"
  case "$code" in 2??) printf '%s' "$out" ;; *) echo "$1 $api$2 answered $code: $out" >&2; return 1 ;; esac
}
exists() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$api$1")" = 200 ]; }
if exists "/sources/$source_name"; then
  echo "source $source_name exists (a previous run); keeping it"
else
  say "Creating source $source_name: POST $api/sources"
  call POST /sources "{\"source\":{\"source_name\":\"$source_name\",\"host\":\"127.0.0.1\",\"port\":$UPSTREAM_PORT,
    \"user\":\"root\",\"password\":\"$password\",\"enable_gtid\":false,\"enable\":true}}" >/dev/null || fail "could not create the source"
fi
task_json="{\"task\":{\"name\":\"$task\",\"task_mode\":\"all\",\"meta_schema\":\"dm_meta\",\"on_duplicate\":\"replace\",\"enhance_online_schema_change\":true,
  \"target_config\":{\"host\":\"127.0.0.1\",\"port\":$TARGET_PORT,\"user\":\"root\",\"password\":\"$password\"},
  \"table_migrate_rule\":[{\"source\":{\"source_name\":\"$source_name\",\"schema\":\"shop\",\"table\":\"*\"},
                           \"target\":{\"schema\":\"shop\",\"table\":\"\"}}],
  \"source_config\":{\"full_migrate_conf\":{\"export_threads\":2,\"import_threads\":2},
                     \"incr_migrate_conf\":{\"repl_threads\":4,\"repl_batch\":100},
                     \"source_conf\":[{\"source_name\":\"$source_name\"}]}}}"
echo "$task_json" >"$work/task.json"
if exists "/tasks/$task"; then
  echo "task $task exists (a previous run); starting it again resumes it from its checkpoints"
  call POST "/tasks/$task/start" >/dev/null 2>&1 || true
else
  say "Creating task $task (mode all: dump, load, then sync): POST $api/tasks"
  call POST /tasks "$task_json" >/dev/null || fail "could not create the task"
  say "Starting it: POST $api/tasks/$task/start"
  call POST "/tasks/$task/start" >/dev/null || fail "could not start the task"
fi

# ---- progress until the task replicates ----------------------------------------------------------
number() { sed -n "s/.*\"$1\": *\([0-9.]*\).*/\1/p" | sed -n 1p; }
section() { sed -n "/\"$1\"/,/}/p"; } # the lines of one nested object
field() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" | sed -n 1p; } # first "name": "value" in DM's JSON
say "Copying shop (progress from GET $api/tasks/$task/status)"
last=""
while :; do
  status="$(curl -s "$api/tasks/$task/status" || true)"
  stage="$(printf '%s' "$status" | field stage)"
  unit="$(printf '%s' "$status" | field unit)"
  error="$(printf '%s' "$status" | field error_msg)"
  dumped="$(printf '%s' "$status" | number finished_rows)"
  estimate="$(printf '%s' "$status" | number estimate_total_rows)"
  loaded="$(printf '%s' "$status" | section load_status | field progress)"
  line="  unit ${unit:-?}, stage ${stage:-?}"
  [ -n "$estimate" ] && [ "${estimate%.*}" != 0 ] && line="$line; dumped ${dumped%.*} of ~${estimate%.*} rows"
  [ -n "$loaded" ] && line="$line; loaded $loaded"
  [ "$line" != "$last" ] && echo "$line" && last="$line"
  # Until the worker reports, a started task shows as Stopped; a task that fails pauses with an error.
  if [ -n "$error" ] || [ "$stage" = Paused ]; then
    echo "the task stopped: ${error:-stage $stage}; full status: $status" >&2
    echo "logs: $work/logs" >&2
    break
  fi
  if [ "$(echo "$unit" | tr '[:upper:]' '[:lower:]')" = sync ] && [ "$stage" = Running ]; then
    say "The task is in Sync: every change to upstream shop now replicates to the target"
    break
  fi
  sleep 0.5
done

dmctl="$work/dmctl"
cat >"$dmctl" <<EOF
#!/usr/bin/env bash
# dmctl against this playground's master(s)
exec dotnet "$dmctl_dll" --master-addr $masters "\$@"
EOF
chmod +x "$dmctl"
up="mariadb -h127.0.0.1 -P$UPSTREAM_PORT -uroot -p$password shop"
down="mariadb -h127.0.0.1 -P$TARGET_PORT -uroot -p$password shop"
cat <<EOF

Try it from another terminal (ports and credentials are also in $work/playground.env):

  # write upstream, read the target
  $up -e "INSERT INTO orders (customer_id, amount, note) VALUES (7, 19.99, 'hello from upstream')"
  $down -e "SELECT * FROM orders ORDER BY id DESC LIMIT 3"
  $up -e "UPDATE customers SET city = 'Quito' WHERE id <= 10; DELETE FROM orders WHERE id <= 100"
  $up -e "ALTER TABLE customers ADD COLUMN vip BOOLEAN NOT NULL DEFAULT FALSE"
  $down -e "SHOW CREATE TABLE customers\\G"

  # dmctl (a wrapper for: dotnet $dmctl_dll --master-addr $masters)
  $dmctl query-status $task
  $dmctl query-status $task --watch
  $dmctl pause-task $task
  $dmctl resume-task $task
  $dmctl binlog-schema list -s $source_name $task shop orders   # once Sync has seen a change to orders
  $dmctl operate-source show
  $dmctl list-member

  # the OpenAPI (docs page: http://127.0.0.1:$MASTER_PORT/api/v1/docs)
  curl -s $api/tasks/$task/status
  curl -s '$api/sources?with_status=true'
  curl -s $api/tasks/$task
  curl -s -X POST $api/tasks/$task/stop
  curl -s -X POST $api/tasks/$task/start
  curl -s http://127.0.0.1:$MASTER_PORT/metrics

Logs: $work/logs. Ctrl-C stops the servers, dm-master and dm-worker; a re-run resumes from where it stopped.
EOF
if [ $ha = 1 ]; then
  cat <<EOF

Three masters: any of them answers (a follower forwards to the leader). Try a failover:

  $dmctl list-member --master
  kill -9 \$(grep '^dm-master1 ' $work/pids | cut -d' ' -f2)    # master1 (its etcd member keeps running)
  curl -s http://127.0.0.1:$MASTER2_PORT/api/v1/cluster/masters    # a new leader within the election-ttl (10 s) if master1 led
  $dmctl operate-leader evict      # sent to the first master that answers: it hands over and stands no more
  $dmctl operate-leader cancel-evict
EOF
fi

# Keep replicating until Ctrl-C, or until one of our processes dies (with --ha, a master may die: the others go on).
reported=" "
while :; do
  for pid in "${started[@]}"; do
    kill -0 "$pid" 2>/dev/null && continue
    name="$(grep " $pid\$" "$work/pids" | cut -d' ' -f1)"
    if [ $ha = 1 ] && [[ "$name" == dm-master* ]]; then
      case "$reported" in *" $pid "*) ;; *) echo "$name (pid $pid) exited; the other masters go on (logs in $work/logs)"; reported="$reported$pid " ;; esac
      continue
    fi
    fail "process $pid ($name) exited; logs in $work/logs"
  done
  sleep 1 &
  wait $! || true
done
