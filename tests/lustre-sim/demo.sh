#!/usr/bin/env bash
#
# End-to-end demonstration of the simulated Lustre HSM:
#   create NFILES files, archive them through lsim-copytool, release them,
#   restore them and check every byte, remove the archive copies.
#
# Usage: tests/lustre-sim/demo.sh [NFILES]     (default 300)
#
# Everything lives in a temporary directory that is removed on exit, after
# the copytool and the simulator have been stopped, also after a failure.
set -euo pipefail

readonly HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly BIN=$HERE/bin
readonly LFS=$BIN/lfs
readonly LSIM=$BIN/lsim
readonly COPYTOOL=$BIN/lsim-copytool
readonly FSNAME=demo
readonly ARCHIVE_ID=1
readonly BATCH=50          # a request holds at most 52 items (1706-byte cap)
readonly MAX_FILE_SIZE=262144

NFILES=${1:-300}

die() {
	echo "demo: $*" >&2
	exit 1
}

[[ $NFILES =~ ^[1-9][0-9]*$ ]] || die "NFILES must be a positive integer, got '$NFILES'"
for tool in "$LFS" "$LSIM" "$COPYTOOL"; do
	[[ -x $tool ]] || die "$tool is missing; build the simulator first with 'mvn -B -DskipTests package' (from the repository root)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lsim-demo.XXXXXX")
readonly WORK
readonly MNT=$WORK/mnt        # the simulated mount is the --root directory
readonly ARCHIVE=$WORK/archive
readonly SUMS=$WORK/sha256sums
readonly CT_LOG=$WORK/copytool.log
CT_PID=
SIM_STARTED=0

cleanup() {
	local rc=$?

	trap '' INT TERM
	if [[ -n $CT_PID ]] && kill -0 "$CT_PID" 2>/dev/null; then
		kill -TERM "$CT_PID" 2>/dev/null || true
		wait "$CT_PID" 2>/dev/null || true
	fi
	if ((SIM_STARTED)); then
		"$LSIM" stop --root "$MNT" >/dev/null 2>&1 || echo "demo: lsim stop failed" >&2
	fi
	if ((rc != 0)) && [[ -f $CT_LOG ]]; then
		echo "demo: last copytool messages:" >&2
		tail -n 20 "$CT_LOG" >&2 || true
	fi
	rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'echo "demo: interrupted" >&2; exit 130' INT
trap 'echo "demo: terminated" >&2; exit 143' TERM

now() {
	echo "${EPOCHREALTIME:-$(date +%s.%N)}"
}

elapsed() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'
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

declare -A PHASE_TIME
phase() {
	local name=$1 start end
	shift
	echo "== $name"
	start=$(now)
	"$@"
	end=$(now)
	PHASE_TIME[$name]=$(elapsed "$start" "$end")
}

start_simulator() {
	mkdir -p "$MNT" "$ARCHIVE"
	"$LSIM" start --root "$MNT" --fsname "$FSNAME"
	SIM_STARTED=1
	"$LSIM" set --root "$MNT" max_requests=64
	echo "  filesystem '$FSNAME' mounted at $MNT"
}

TOTAL_BYTES=0
create_files() {
	local i size
	mkdir -p "$MNT/demo"
	FILES=()
	SIZES=()
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

start_copytool() {
	local deadline=$((SECONDS + 20))

	"$COPYTOOL" --archive "$ARCHIVE_ID" --hsm-root "$ARCHIVE" \
		--update-interval 1 "$MNT" >"$CT_LOG" 2>&1 &
	CT_PID=$!
	until "$LSIM" agents --root "$MNT" | grep -q 'uuid='; do
		kill -0 "$CT_PID" 2>/dev/null || die "lsim-copytool exited during start-up"
		((SECONDS < deadline)) || die "lsim-copytool did not register within 20s"
		sleep 0.1
	done
	echo "  lsim-copytool (pid $CT_PID) registered for archive $ARCHIVE_ID"
}

archive_files() {
	hsm_request hsm_archive -a "$ARCHIVE_ID"
	wait_for archived count_matching '^\(0x[0-9a-f]+\) exists archived, archive_id:1$' 300
	local objects
	objects=$(count_archive_objects)
	((objects == NFILES)) || die "$objects archive objects for $NFILES files"
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

phase "start simulator" start_simulator
phase "create files" create_files
phase "start copytool" start_copytool
phase "archive" archive_files
phase "release" release_files
phase "restore" restore_files
phase "remove" remove_files

echo "== summary"
printf '  files: %d, bytes: %d\n' "$NFILES" "$TOTAL_BYTES"
for name in "start simulator" "create files" "start copytool" archive release restore remove; do
	printf '  %-16s %8ss\n' "$name" "${PHASE_TIME[$name]}"
done
echo "demo: OK"
