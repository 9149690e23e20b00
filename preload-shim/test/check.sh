#!/usr/bin/env bash
# End-to-end checks of libcoordinatool_preload.so (run by `make check`): an
# unmodified copytool (lsim-copytool, and the event-driven poll_copytool)
# runs under the shim on a simulated Lustre mount, driven by fake_agent,
# which forwards the action lists it receives from the mount.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
sim=$(cd "$here/../tests/lustre-sim" && pwd)
# make check-sanitize names its own builds (SHIM_BUILD, LSIM_BIN) and the
# libraries to preload ahead of the shim (PRELOAD_FIRST)
build=${SHIM_BUILD:-$here/build}
simbin=${LSIM_BIN:-$sim/bin}
shim=$build/libcoordinatool_preload.so
preload=${PRELOAD_FIRST:+$PRELOAD_FIRST:}$shim
fake_agent=$build/test/fake_agent
poll_copytool=$build/test/poll_copytool
lsim=$simbin/lsim
lfs=$simbin/lfs
copytool=$simbin/lsim-copytool

work=$(mktemp -d /tmp/ctsh-check.XXXXXX)
export LSIM_REGISTRY=$work/registry
mnt=$work/mnt
arc=$work/archive
sock=$work/agent.sock
fsname=ck$(($$ % 1000000))
children=()

cleanup() {
	local rc=$?
	local pid log
	for pid in "${children[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	"$lsim" stop --root "$mnt" >/dev/null 2>&1 || true
	if [ "$rc" -ne 0 ]; then
		for log in "$work"/*.log; do
			[ -e "$log" ] || continue
			echo "---- $(basename "$log")" >&2
			tail -n 40 "$log" >&2
		done
	fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# await SECONDS DESCRIPTION COMMAND...: poll COMMAND until it succeeds
await() {
	local deadline=$((SECONDS + $1)) what=$2
	shift 2
	until "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || fail "timed out waiting for $what"
		sleep 0.05
	done
}

count() { grep -c -e "$1" "$2" || true; }
has_at_least() { [ "$(count "$2" "$3")" -ge "$1" ]; }
# state_has WORD FILE, state_lacks WORD FILE: a word of `lfs hsm_state`
state_has() { "$lfs" hsm_state "$2" | grep -q " $1"; }
state_lacks() { ! "$lfs" hsm_state "$2" | grep -q " $1"; }
all_files() {
	local f
	for f in "${files[@]}"; do "$@" "$f" || return 1; done
}

# start_agent NAME [OPTIONS]: fake_agent logging to $work/NAME.log
start_agent() {
	local name=$1
	shift
	rm -f "$sock"
	agent_log=$work/$name.log
	: >"$agent_log"
	"$fake_agent" --socket "$sock" --mount "$mnt" "$@" \
		>"$agent_log" 2>&1 &
	agent_pid=$!
	children+=("$agent_pid")
	await 10 "$name ready" grep -q '^READY$' "$agent_log"
}

stop_agent() {
	kill -TERM "$agent_pid"
	wait "$agent_pid" || fail "fake_agent exited with $?"
}

# start_copytool NAME PROGRAM ARGS...: PROGRAM under the shim
start_copytool() {
	local name=$1
	shift
	ct_log=$work/$name.log
	: >"$ct_log"
	COORDINATOOL_AGENT_SOCKET=$sock LD_PRELOAD=$preload "$@" \
		>"$ct_log" 2>&1 &
	ct_pid=$!
	children+=("$ct_pid")
}

# wait_copytool STATUS: the copytool exits with STATUS
wait_copytool() {
	local rc=0
	wait "$ct_pid" || rc=$?
	[ "$rc" -eq "$1" ] || fail "copytool exited with $rc, expected $1"
}

# "cookie dfid" of every listed item, and of every END with status 0
item_keys() { sed -n 's/^ITEM action=[A-Z]* cookie=\([^ ]*\) dfid=\([^ ]*\)$/\1 \2/p' "$1" | sort; }
ended_keys() { sed -n 's/^END cookie=\([^ ]*\) dfid=\([^ ]*\) status=0$/\1 \2/p' "$1" | sort; }

# every item listed was ended exactly once, with status 0 and its own key
check_keys() {
	local n
	n=$(item_keys "$agent_log" | wc -l)
	[ "$n" -eq "$1" ] || fail "$n items listed, expected $1"
	[ "$(count '^END ' "$agent_log")" -eq "$1" ] || fail "END count is not $1"
	[ "$(item_keys "$agent_log")" = "$(ended_keys "$agent_log")" ] ||
		fail "END keys differ from the listed keys"
}

mkdir "$mnt" "$arc" "$work/orig"
"$lsim" start --root "$mnt" --fsname "$fsname" >/dev/null

echo "preload-shim check: registration errors"
if env -u COORDINATOOL_AGENT_SOCKET LD_PRELOAD="$preload" \
	"$copytool" -p "$arc" "$mnt" >"$work/noenv.log" 2>&1; then
	fail "copytool registered without COORDINATOOL_AGENT_SOCKET"
fi
grep -q "COORDINATOOL_AGENT_SOCKET must name the coordinatool mover agent's socket: Invalid argument" \
	"$work/noenv.log" || fail "no clear error without COORDINATOOL_AGENT_SOCKET"
if COORDINATOOL_AGENT_SOCKET=$work/nosuch.sock LD_PRELOAD=$preload \
	"$copytool" -p "$arc" "$mnt" >"$work/noagent.log" 2>&1; then
	fail "copytool registered without an agent"
fi
grep -q "cannot connect to the coordinatool mover agent at '$work/nosuch.sock': No such file or directory" \
	"$work/noagent.log" || fail "no clear error when the agent is unreachable"

echo "preload-shim check: archive, release, restore, remove with lsim-copytool"
mkdir "$mnt/dir"
printf 'small file\n' >"$mnt/f1"
head -c 300000 /dev/urandom >"$mnt/f2"
: >"$mnt/f3"
head -c 70000 /dev/urandom >"$mnt/dir/f4"
files=("$mnt/f1" "$mnt/f2" "$mnt/f3" "$mnt/dir/f4")
for f in "${files[@]}"; do cp "$f" "$work/orig/$(basename "$f")"; done

start_agent main
start_copytool main-ct "$copytool" -p "$arc" "$mnt"
await 10 "the first RECV" grep -q '^RECV size=1048576$' "$agent_log"
grep -q "^REGISTER pid=$ct_pid flags=0 archives=\[\] mnt=$mnt fsname=$fsname$" \
	"$agent_log" || fail "REGISTER does not describe the copytool"

"$lfs" hsm_archive "${files[@]}"
await 10 "archived files" all_files state_has archived
await 10 "4 END notices" has_at_least 4 '^END ' "$agent_log"
"$lfs" hsm_release "${files[@]}"
all_files state_has released || fail "files not released"
"$lfs" hsm_restore "${files[@]}"
await 10 "restored files" all_files state_lacks released
for f in "${files[@]}"; do
	cmp -s "$f" "$work/orig/$(basename "$f")" || fail "$f restored with other content"
done
await 10 "8 END notices" has_at_least 8 '^END ' "$agent_log"
"$lfs" hsm_remove "${files[@]}"
await 10 "removed files" all_files state_lacks archived
await 10 "12 END notices" has_at_least 12 '^END ' "$agent_log"
check_keys 12
[ "$(count '^BEGIN .* rc=0$' "$agent_log")" -eq 12 ] || fail "BEGIN count is not 12"
[ -z "$(find "$arc" -type f)" ] || fail "archive objects left after remove"

kill -USR1 "$agent_pid"
await 10 "UNREGISTER" grep -q '^UNREGISTER recv_pending=0$' "$agent_log"
# lhsmtool_posix, which lsim-copytool follows, exits with ESHUTDOWN at unmount
wait_copytool 108
grep -q 'shutting down' "$ct_log" || fail "copytool did not see -ESHUTDOWN"
stop_agent

echo "preload-shim check: reconnect after the agent drops the connection, SIGTERM"
printf 'after reconnect\n' >"$mnt/f5"
start_agent drop --drop-once
start_copytool drop-ct "$copytool" -p "$arc" "$mnt"
await 10 "the dropped connection" grep -q '^DROP control$' "$agent_log"
await 10 "the second REGISTER" has_at_least 2 '^REGISTER ' "$agent_log"
await 10 "a RECV after reconnecting" has_at_least 2 '^RECV ' "$agent_log"
"$lfs" hsm_archive "$mnt/f5"
await 10 "archived f5" state_has archived "$mnt/f5"
await 10 "the END of f5" has_at_least 1 '^END ' "$agent_log"
check_keys 1
grep -q 'lost the connection to the coordinatool mover agent' "$ct_log" ||
	fail "no message about the lost connection"
await 10 "the next RECV" has_at_least 3 '^RECV ' "$agent_log"
# the signal thread unregisters while the main thread is blocked in recv
kill -TERM "$ct_pid"
await 10 "UNREGISTER with a pending RECV" grep -q '^UNREGISTER recv_pending=1$' "$agent_log"
wait_copytool 1
stop_agent

echo "preload-shim check: a copytool whose agent is killed stops"
start_agent orphan
start_copytool orphan-ct "$copytool" -p "$arc" "$mnt"
await 10 "a RECV" has_at_least 1 '^RECV ' "$agent_log"
kill -KILL "$agent_pid"
wait "$agent_pid" 2>/dev/null || true
await 10 "the copytool noticing its agent is gone" \
	grep -q "the coordinatool mover agent (pid $agent_pid) is gone" "$ct_log"
wait_copytool 137 2>/dev/null

echo "preload-shim check: an action list larger than the buffer is rejected"
printf 'after reject\n' >"$mnt/f6"
start_agent reject --oversize
start_copytool reject-ct "$copytool" -p "$arc" "$mnt"
await 10 "REJECT" grep -q '^REJECT rc=-90$' "$agent_log"
grep -q 'rejected an action list of 1048584 bytes (buffer: 1048576 bytes)' "$ct_log" ||
	fail "no message about the rejected list"
await 10 "a RECV after the REJECT" has_at_least 2 '^RECV ' "$agent_log"
"$lfs" hsm_archive "$mnt/f6"
await 10 "archived f6" state_has archived "$mnt/f6"
await 10 "the END of f6" has_at_least 1 '^END ' "$agent_log"
check_keys 1
kill -USR1 "$agent_pid"
wait_copytool 108
stop_agent

echo "preload-shim check: O_NONBLOCK, get_fd and poll"
printf 'polled\n' >"$mnt/f7"
printf 'polled again\n' >"$mnt/f8"
start_agent poll
start_copytool poll-ct "$poll_copytool" "$mnt"
await 10 "the first recv" grep -q '^first recv: EAGAIN$' "$ct_log"
grep -q "^REGISTER pid=$ct_pid flags=0x800 " "$agent_log" || fail "REGISTER without O_NONBLOCK"
[ "$(count '^RECV ' "$agent_log")" -eq 1 ] || fail "get_fd sent a second RECV"
"$lfs" hsm_archive "$mnt/f7"
await 10 "archived f7" state_has archived "$mnt/f7"
await 10 "the END of f7" has_at_least 1 '^END ' "$agent_log"
check_keys 1
grep -q '^ended cookie=0x[0-9a-f]* rc=0$' "$ct_log" || fail "poll_copytool did not end its item"
# the recv that took the list armed the next RECV: the descriptor wakes again
await 10 "the RECV armed after the list" has_at_least 2 '^RECV ' "$agent_log"
"$lfs" hsm_archive "$mnt/f8"
await 10 "archived f8" state_has archived "$mnt/f8"
await 10 "the END of f8" has_at_least 2 '^END ' "$agent_log"
check_keys 2
[ "$(count '^ended cookie=0x[0-9a-f]* rc=0$' "$ct_log")" -eq 2 ] ||
	fail "poll_copytool did not end both items"
kill -USR1 "$agent_pid"
wait_copytool 0
grep -q '^shut down$' "$ct_log" || fail "poll_copytool did not shut down"
stop_agent

echo "preload-shim check: all passed"
