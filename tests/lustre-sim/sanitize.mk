# AddressSanitizer and UndefinedBehaviorSanitizer builds, shared by this
# Makefile and preload-shim's: every error stops the program (halt on error,
# no recovery) and is also written to a log directory, so that an error in a
# process whose exit status nobody checks (a daemon, a killed copytool) still
# fails the check: $(call sanitize_reports,DIR) shows them and fails.

SANITIZE_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
# The ASan runtime: a sanitized library preloaded into a program must come
# after it in LD_PRELOAD.
SANITIZE_RUNTIME := $(shell $(CC) -print-file-name=libasan.so)

# sanitize_env LOG_DIR: the environment of a sanitized run
sanitize_env = ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:log_path=$(abspath $(1))/asan \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$(abspath $(1))/ubsan

# sanitize_reports LOG_DIR: fails, showing them, if sanitizer reports were written. Only files
# with content count: an empty log file holds no report, and some runs of the demonstration
# leave one (its origin is not understood yet).
sanitize_reports = if [ -n "$$(find $(1) -type f -size +0c)" ]; then \
	find $(1) -type f -size +0c -exec cat {} +; \
	echo "sanitizer reports in $(1)" >&2; exit 1; fi
