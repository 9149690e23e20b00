#!/usr/bin/env bash
#
# The whole system on the Lustre simulator: a coordinator, its queue in a private Redis when
# redis-server is installed (in memory otherwise), and two movers, each running the simulator's
# unmodified lsim-copytool under the preload shim, archive NFILES files, release them, restore
# them (every byte checked) and remove the archive copies, all requested through lfs as users
# would. coordinatool-client shows the coordinator's status while it holds the archive requests
# and at the end.
#
# Usage: tests/demo.sh [NFILES]     (default 300; after 'mvn -B -DskipTests package')
#
# Everything lives in a temporary directory that is removed on exit, after the movers, the
# coordinator, Redis and the simulator have been stopped, also after a failure or a signal.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
# shellcheck source=lustre-sim/demo-lib.sh
source "$ROOT/tests/lustre-sim/demo-lib.sh"

readonly SERVER=$ROOT/coordinator/bin/lhsmd_coordinatool
readonly CLIENT=$ROOT/coordinator/bin/coordinatool-client
readonly MOVER=$ROOT/mover-agent/bin/coordinatool-mover
readonly MOVERS=(mover1 mover2)
# Lustre hands the coordinator at most this many requests at a time.
readonly MAX_REQUESTS=1000
# Requests of each type one mover runs at once: with more files than this, neither mover can
# take all the work.
readonly MOVER_LIMIT=16
# The client runs for a moment: the C1 compiler alone and the serial collector halve its start-up.
readonly QUICK_JVM="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

require_simulator
for built in "$ROOT"/coordinator/target/lib "$ROOT"/mover-agent/target/lib \
	"$ROOT"/preload-shim/build/libcoordinatool_preload.so; do
	[[ -e $built ]] || die "$built is missing; build first with 'mvn -B -DskipTests package' (from the repository root)"
done
demo_init coordinatool-demo "${1:-300}"

# The demonstration's own configuration only: no COORDINATOOL_* variable of the caller's.
unset "${!COORDINATOOL_@}"
export COORDINATOOL_CONF=$WORK/coordinatool.conf
# Where the dynamic loader finds the simulator's liblustreapi.so.1, as it finds Lustre's.
export LD_LIBRARY_PATH=$LSIM_HOME/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

QUEUE_STORE="memory only (redis-server is not installed)"
REDIS_PID=
SERVER_PID=
MOVER_PIDS=()

client() {
	JAVA_OPTS=${JAVA_OPTS:-$QUICK_JVM} "$CLIENT" --timeout 20 "$@"
}

start_redis() {
	local port
	port=$(free_port)
	mkdir -p "$WORK/redis"
	spawn "$WORK/redis.log" redis-server --bind 127.0.0.1 --port "$port" --dir "$WORK/redis" \
		--save "" --appendonly no
	REDIS_PID=$SPAWNED
	at_cleanup stop_redis
	add_log redis-server "$WORK/redis.log"
	await 20 "redis-server to listen on port $port" "$REDIS_PID" port_open "$port"
	REDIS_PORT=$port
	QUEUE_STORE="Redis (private redis-server on 127.0.0.1:$port, nothing saved to disk)"
	echo "  redis-server (pid $REDIS_PID) on 127.0.0.1:$port"
}

stop_redis() {
	[[ -n $REDIS_PID ]] || return 0
	local pid=$REDIS_PID rc=0
	REDIS_PID=
	stop_process redis-server "$pid" 30 || rc=$?
	((rc == 0)) || echo "demo: redis-server exited with status $rc" >&2
	return "$rc"
}

# One file for every program: each ignores the keys meant for the others.
write_config() {
	local port=$1
	{
		echo "host 127.0.0.1"
		echo "port $port"
		if [[ -n $REDIS_PID ]]; then
			echo "redis_host 127.0.0.1"
			echo "redis_port $REDIS_PORT"
		fi
		echo "max_archive $MOVER_LIMIT"
		echo "max_restore $MOVER_LIMIT"
		echo "max_remove $MOVER_LIMIT"
		# no metrics endpoint: its default port may be taken by a real server on this machine
		echo "metrics_port 0"
	} >"$COORDINATOOL_CONF"
}

start_coordinator() {
	local port redis_option=()
	if command -v redis-server >/dev/null; then
		start_redis
	else
		# the built-in default would be a Redis on localhost:6379, which is not ours
		redis_option=(--redis-host "")
	fi
	port=$(free_port)
	write_config "$port"
	spawn "$WORK/coordinator.log" "$SERVER" -c "$COORDINATOOL_CONF" "${redis_option[@]}" "$MNT"
	SERVER_PID=$SPAWNED
	at_cleanup stop_coordinator
	add_log coordinator "$WORK/coordinator.log"
	await 60 "the coordinator to listen on port $port" "$SERVER_PID" port_open "$port"
	echo "  lhsmd_coordinatool (pid $SERVER_PID) on 127.0.0.1:$port, queue: $QUEUE_STORE"
}

stop_coordinator() {
	[[ -n $SERVER_PID ]] || return 0
	local pid=$SERVER_PID rc=0
	SERVER_PID=
	stop_process lhsmd_coordinatool "$pid" 60 || rc=$?
	((rc == 0)) || echo "demo: lhsmd_coordinatool exited with status $rc" >&2
	return "$rc"
}

start_movers() {
	local id log
	# Each agent puts its copytool's socket in a private directory of its own, which it removes
	# on exit, under $XDG_RUNTIME_DIR or /tmp: the work directory's path may be too long for a
	# Unix socket.
	for id in "${MOVERS[@]}"; do
		log=$WORK/$id.log
		spawn "$log" "$MOVER" -I "$id" -- "$COPYTOOL" -p "$ARCHIVE" -u 1 "$MNT"
		MOVER_PIDS+=("$SPAWNED")
		add_log "$id" "$log"
	done
	at_cleanup stop_movers
	for id in "${!MOVERS[@]}"; do
		await 60 "${MOVERS[id]} to connect to the coordinator" "${MOVER_PIDS[id]}" \
			grep -q "connected to the coordinator" "$WORK/${MOVERS[id]}.log"
		echo "  coordinatool-mover ${MOVERS[id]} (pid ${MOVER_PIDS[id]}) running lsim-copytool, connected"
	done
}

# TERM to all at once: each lets its running transfers finish, stops its copytool, exits 0.
stop_movers() {
	local i pids=("${MOVER_PIDS[@]}") status=0 rc
	MOVER_PIDS=()
	for i in "${!pids[@]}"; do
		kill -TERM "${pids[i]}" 2>/dev/null || true
	done
	for i in "${!pids[@]}"; do
		rc=0
		await_exit "${MOVERS[i]}" "${pids[i]}" 90 || rc=$?
		if ((rc != 0)); then
			echo "demo: coordinatool-mover ${MOVERS[i]} exited with status $rc" >&2
			status=1
		fi
	done
	return "$status"
}

# status_field JSON KEY [CLIENT_ID]: a member of a `coordinatool-client --json` status reply, of
# the reply itself or of one of its clients; empty when absent (zero counters are left out).
status_field() {
	awk -v key="\"$2\":" -v client="${3-}" '
		/^ *"clients": *\[/ { in_clients = 1 }
		in_clients && /^ *"client_id":/ { id = $2; gsub(/[",]/, "", id) }
		$1 == key && (client == "" ? !in_clients : in_clients && id == client) {
			value = $2
			gsub(/[",]/, "", value)
		}
		END { print value }' <<<"$1"
}

STATUS=
HELD=0
# All the archive requests Lustre hands over queued, and both movers asking for work: unlocking
# gives some to each.
archives_held() {
	local id
	STATUS=$(client --json) || return 1
	[[ $(status_field "$STATUS" pending_archive) == "$HELD" ]] || return 1
	for id in "${MOVERS[@]}"; do
		[[ $(status_field "$STATUS" status "$id") == waiting ]] || return 1
	done
}

queue_archives() {
	local what
	client --lock >/dev/null
	echo "  dispatching locked"
	request_archive
	if ((NFILES <= MAX_REQUESTS)); then
		HELD=$NFILES
		what="all $NFILES archive requests"
	else
		HELD=$MAX_REQUESTS
		what="$HELD of the $NFILES archive requests (max_requests=$MAX_REQUESTS)"
	fi
	await 120 "the coordinator to hold $what" "$SERVER_PID" archives_held
	echo "  the coordinator holds $what; coordinatool-client:"
	client | sed 's/^./    &/'
}

dispatch_archives() {
	client --unlock >/dev/null
	echo "  dispatching unlocked"
	await_archived
}

declare -A DONE
final_status() {
	local id type total
	echo "  coordinatool-client:"
	client | sed 's/^./    &/'
	STATUS=$(client --json)
	for type in archive restore remove; do
		total=0
		for id in "${MOVERS[@]}"; do
			DONE[$id.$type]=$(status_field "$STATUS" "done_$type" "$id")
			DONE[$id.$type]=${DONE[$id.$type]:-0}
			total=$((total + DONE[$id.$type]))
		done
		((total == NFILES)) || die "the movers report $total ${type}s done for $NFILES files"
	done
	if ((NFILES > MOVER_LIMIT)); then
		for id in "${MOVERS[@]}"; do
			((DONE[$id.archive] + DONE[$id.restore] + DONE[$id.remove] > 0)) ||
				die "$id did no work"
		done
	fi
}

stop_all() {
	stop_movers
	echo "  movers stopped (exit status 0)"
	stop_coordinator
	echo "  coordinator stopped (exit status 0)"
	if [[ -n $REDIS_PID ]]; then
		stop_redis
		echo "  redis-server stopped"
	fi
	stop_simulator
	echo "  simulator stopped"
}

phase "start simulator" start_simulator max_requests=$MAX_REQUESTS loop_period=1
phase "create files" create_files
phase "start coordinator" start_coordinator
phase "start movers" start_movers
phase "queue archives" queue_archives
phase "archive" dispatch_archives
phase "release" release_files
phase "restore" restore_files
phase "remove" remove_files
phase "final status" final_status
phase "stop" stop_all

echo "== summary"
printf '  files: %d, bytes: %d, queue: %s\n' "$NFILES" "$TOTAL_BYTES" "$QUEUE_STORE"
print_phase_times
printf '  %-8s %8s %8s %8s\n' mover archive restore remove
for id in "${MOVERS[@]}"; do
	printf '  %-8s %8d %8d %8d\n' "$id" "${DONE[$id.archive]}" "${DONE[$id.restore]}" "${DONE[$id.remove]}"
done
echo "demo: OK"
