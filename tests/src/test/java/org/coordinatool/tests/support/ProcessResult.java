package org.coordinatool.tests.support;

import java.util.List;

/** Outcome of a finished child process. */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** Fails with the whole command and its output, so a broken run explains itself. */
    public ProcessResult requireOk() {
        if (exitCode != 0) {
            throw new AssertionError(describe());
        }
        return this;
    }

    /** The last line of standard error (where the programs print why they stop), or "" when none. */
    public String lastErrorLine() {
        List<String> lines = stderr.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    public String describe() {
        return String.join(" ", command) + " exited " + exitCode
                + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
    }
}
