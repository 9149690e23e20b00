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

# shellcheck source=demo-lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/demo-lib.sh"

require_simulator
demo_init lsim-demo "${1:-300}"

readonly CT_LOG=$WORK/copytool.log
CT_PID=

start_copytool() {
	"$COPYTOOL" --archive "$ARCHIVE_ID" --hsm-root "$ARCHIVE" \
		--update-interval 1 "$MNT" >"$CT_LOG" 2>&1 &
	CT_PID=$!
	at_cleanup stop_copytool
	add_log copytool "$CT_LOG"
	await 20 "lsim-copytool to register" "$CT_PID" copytool_registered
	echo "  lsim-copytool (pid $CT_PID) registered for archive $ARCHIVE_ID"
}

copytool_registered() {
	"$LSIM" agents --root "$MNT" | grep -q 'uuid='
}

stop_copytool() {
	[[ -n $CT_PID ]] || return 0
	stop_process lsim-copytool "$CT_PID" 30 || true
	CT_PID=
}

phase "start simulator" start_simulator max_requests=64
phase "create files" create_files
phase "start copytool" start_copytool
phase "archive" archive_files
phase "release" release_files
phase "restore" restore_files
phase "remove" remove_files

echo "== summary"
printf '  files: %d, bytes: %d\n' "$NFILES" "$TOTAL_BYTES"
print_phase_times
echo "demo: OK"
