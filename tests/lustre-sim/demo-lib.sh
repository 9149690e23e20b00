# Shared by the demonstrations (tests/lustre-sim/demo.sh, tests/demo.sh); source it, do not run it.
#
# A demonstration calls demo_init, starts what it needs (each start registering its stop with
# at_cleanup and its log with add_log), then runs its steps through `phase`. On exit, after a
# failure or on INT/TERM, the registered stops run in reverse order, the logs of a failed run are
# shown, and the temporary directory goes.
#
# Files are created in MNT/demo with random sizes and contents; HSM requests are sent in batches,
# and each step waits, with a deadline, until every file's hsm_state says it is done, printing
# the count whenever it changes.

readonly LSIM_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# LSIM_BIN: where the tools are (make check-sanitize names its sanitized build)
readonly LSIM_BIN=${LSIM_BIN:-$LSIM_HOME/bin}
readonly LFS=$LSIM_BIN/lfs
readonly LSIM=$LSIM_BIN/lsim
readonly COPYTOOL=$LSIM_BIN/lsim-copytool
readonly FSNAME=demo
readonly ARCHIVE_ID=1
readonly BATCH=50          # a request holds at most 52 items (1706-byte cap)
readonly MAX_FILE_SIZE=262144

die() {
	echo "demo: $*" >&2
	exit 1
}

require_simulator() {
	local tool
	for tool in "$LFS" "$LSIM" "$COPYTOOL"; do
		[[ -x $tool ]] || die "$tool is missing; build the simulator first with 'mvn -B -DskipTests package' (from the repository root)"
	done
}

# demo_init PREFIX NFILES: checks NFILES, creates the work directory, installs the traps.
# Sets NFILES, WORK, MNT (the simulated mount is its --root directory), ARCHIVE, SUMS.
demo_init() {
	NFILES=$2
	[[ $NFILES =~ ^[1-9][0-9]*$ ]] || die "NFILES must be a positive integer, got '$NFILES'"
	readonly NFILES
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
	readonly WORK
	readonly MNT=$WORK/mnt
	readonly ARCHIVE=$WORK/archive
	readonly SUMS=$WORK/sha256sums
	mkdir -p "$MNT" "$ARCHIVE"
	trap demo_cleanup EXIT
	trap 'echo "demo: interrupted" >&2; exit 130' INT
	trap 'echo "demo: terminated" >&2; exit 143' TERM
}

CLEANUPS=()
LOG_NAMES=()
LOG_FILES=()

# at_cleanup FUNCTION: run FUNCTION on exit (last registered, first run). It must do nothing
# when there is nothing left to stop, so that a demonstration may also call it itself, and say
# what went wrong when it fails: the run then fails.
at_cleanup() {
	CLEANUPS+=("$1")
}

# add_log NAME FILE: FILE's last lines are shown when the demonstration fails.
add_log() {
	LOG_NAMES+=("$1")
	LOG_FILES+=("$2")
}

demo_cleanup() {
	local rc=$? i

	trap '' INT TERM
	for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do
		"${CLEANUPS[i]}" || ((rc != 0)) || rc=1
	done
	if ((rc != 0)); then
		for i in "${!LOG_FILES[@]}"; do
			[[ -s ${LOG_FILES[i]} ]] || continue
			echo "demo: last ${LOG_NAMES[i]} messages:" >&2
			tail -n 20 "${LOG_FILES[i]}" >&2 || true
		done
	fi
	rm -rf "$WORK"
	exit "$rc"
}

now() {
	echo "${EPOCHREALTIME:-$(date +%s.%N)}"
}

elapsed() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'
}

# await TIMEOUT WHAT PID COMMAND...: polls COMMAND until it succeeds; fails after TIMEOUT seconds
# or as soon as process PID (none if empty) has exited.
await() {
	local timeout=$1 what=$2 pid=$3 deadline=$((SECONDS + $1))
	shift 3
	until "$@"; do
		if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
			die "process $pid exited while waiting for $what"
		fi
		((SECONDS < deadline)) || die "timed out after ${timeout}s waiting for $what"
		sleep 0.1
	done
}

# port_open PORT: something accepts connections on 127.0.0.1:PORT.
port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A loopback port nobody listens on, below Linux's ephemeral range so that no outgoing
# connection holds it.
free_port() {
	local port tries
	for ((tries = 0; tries < 100; tries++)); do
		port=$((20000 + RANDOM % 12000))
		if ! port_open "$port"; then
			echo "$port"
			return 0
		fi
	done
	die "no free TCP port found"
}

declare -A SESSION_LEADER
SPAWNED=
# spawn LOG COMMAND...: starts COMMAND in the background in a session (and process group) of its
# own, its output in LOG, and sets SPAWNED to its pid. A terminal's INT then reaches the
# demonstration alone, which stops everything in order, and whatever the command leaves behind
# (the children of a crashed launcher or agent) can still be found and stopped.
spawn() {
	local log=$1
	shift
	# not a process group leader, so setsid does not fork: $! is the command's pid
	setsid "$@" >"$log" 2>&1 </dev/null &
	SPAWNED=$!
	SESSION_LEADER[$SPAWNED]=1
}

# stop_process NAME PID TIMEOUT: TERM, then await_exit.
stop_process() {
	kill -TERM "$2" 2>/dev/null || true
	await_exit "$@"
}

# await_exit NAME PID TIMEOUT: waits up to TIMEOUT seconds for process PID to exit (then KILLs
# it, and what is left of a spawned process's group); returns its exit status.
await_exit() {
	local name=$1 pid=$2 deadline=$((SECONDS + $3)) rc=0
	while kill -0 "$pid" 2>/dev/null; do
		if ((SECONDS >= deadline)); then
			echo "demo: $name (pid $pid) still running after ${3}s, killing it" >&2
			kill -KILL "$pid" 2>/dev/null || true
			break
		fi
		sleep 0.1
	done
	wait "$pid" 2>/dev/null || rc=$?
	if [[ -n ${SESSION_LEADER[$pid]-} ]]; then
		unset "SESSION_LEADER[$pid]"
		if kill -0 -- "-$pid" 2>/dev/null; then
			echo "demo: $name (pid $pid) left processes behind, killing them" >&2
			kill -KILL -- "-$pid" 2>/dev/null || true
		fi
	fi
	return "$rc"
}

PHASE_NAMES=()
declare -A PHASE_TIME
# phase NAME COMMAND...: runs one step of the demonstration and times it.
phase() {
	local name=$1 start end
	shift
	echo "== $name"
	start=$(now)
	"$@"
	end=$(now)
	PHASE_NAMES+=("$name")
	PHASE_TIME[$name]=$(elapsed "$start" "$end")
}

print_phase_times() {
	local name width=0
	for name in "${PHASE_NAMES[@]}"; do
		((${#name} < width)) || width=$((${#name} + 1))
	done
	for name in "${PHASE_NAMES[@]}"; do
		printf '  %-*s %8ss\n' "$width" "$name" "${PHASE_TIME[$name]}"
	done
}

SIM_STARTED=0
# start_simulator [TUNABLE=VALUE...]: mounts the simulated filesystem on MNT.
start_simulator() {
	"$LSIM" start --root "$MNT" --fsname "$FSNAME"
	SIM_STARTED=1
	at_cleanup stop_simulator
	if (($# > 0)); then
		"$LSIM" set --root "$MNT" "$@"
	fi
	echo "  filesystem '$FSNAME' mounted at $MNT"
}

stop_simulator() {
	((SIM_STARTED)) || return 0
	SIM_STARTED=0
	"$LSIM" stop --root "$MNT" >/dev/null 2>&1 || {
		echo "demo: lsim stop failed" >&2
		return 1
	}
}

TOTAL_BYTES=0
FILES=()
SIZES=()
create_files() {
	local i size
	mkdir -p "$MNT/demo"
	for ((i = 0; i < NFILES; i++)); do
		# sizes from empty to 256 KiB, contents random
		size=$(( (RANDOM * 32768 + RANDOM) % (MAX_FILE_SIZE + 1) ))
		head -c "$size" /dev/urandom >"$MNT/demo/file.$i"
		FILES+=("$MNT/demo/file.$i")
		SIZES+=("$size")
		TOTAL_BYTES=$((TOTAL_BYTES + size))
	done
	(cd "$MNT/demo" && sha256sum -- file.*) >"$SUMS"
	echo "  $NFILES files, $TOTAL_BYTES bytes"
}

# hsm_state of every file, without the path (the path could contain a word).
states() {
	printf '%s\0' "${FILES[@]}" | xargs -0 "$LFS" hsm_state | sed 's/^.*: (0x/(0x/'
}

# Number of files whose state line matches / does not match the regex.
count_matching() {
	states | grep -c -E -- "$1" || true
}

count_not_matching() {
	states | grep -c -v -E -- "$1" || true
}

# wait_for LABEL COUNTER REGEX TIMEOUT: poll until COUNTER REGEX reaches NFILES.
wait_for() {
	local label=$1 counter=$2 regex=$3 timeout=$4
	local deadline=$((SECONDS + timeout)) n last=-1

	while :; do
		n=$("$counter" "$regex")
		if ((n != last)); then
			printf '  %s %d/%d\n' "$label" "$n" "$NFILES"
			last=$n
		fi
		((n == NFILES)) && return 0
		((SECONDS < deadline)) || die "timed out after ${timeout}s: only $n/$NFILES files $label"
		sleep 0.2
	done
}

# hsm_request ACTION [OPTIONS...]: one lfs request per batch of files.
hsm_request() {
	local action=$1 i
	shift
	for ((i = 0; i < NFILES; i += BATCH)); do
		"$LFS" "$action" "$@" "${FILES[@]:i:BATCH}"
	done
}

# Archive objects (v1 layout), excluding the shadow namespace.
count_archive_objects() {
	find "$ARCHIVE" -path "$ARCHIVE/shadow" -prune -o -type f -print | wc -l
}

request_archive() {
	hsm_request hsm_archive -a "$ARCHIVE_ID"
}

await_archived() {
	wait_for archived count_matching "^\\(0x[0-9a-f]+\\) exists archived, archive_id:$ARCHIVE_ID\$" 300
	local objects
	objects=$(count_archive_objects)
	((objects == NFILES)) || die "$objects archive objects for $NFILES files"
}

archive_files() {
	request_archive
	await_archived
}

release_files() {
	hsm_request hsm_release
	wait_for released count_matching '^\(0x[0-9a-f]+\) released exists archived' 60
	local i
	# a released file keeps its size
	for ((i = 0; i < NFILES; i++)); do
		[[ $(stat -c %s "${FILES[i]}") == "${SIZES[i]}" ]] ||
			die "size of ${FILES[i]} changed on release"
	done
}

restore_files() {
	hsm_request hsm_restore
	wait_for restored count_not_matching ' released' 300
	(cd "$MNT/demo" && sha256sum --quiet -c "$SUMS") || die "restored content differs"
	echo "  content of all $NFILES files verified byte for byte"
}

remove_files() {
	hsm_request hsm_remove
	wait_for removed count_not_matching ' exists| archived' 300
	local objects
	objects=$(count_archive_objects)
	((objects == 0)) || die "$objects archive objects left after remove"
}
