package org.coordinatool.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A long-running child process whose output goes to a log file; closing it kills it. */
public final class ManagedProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final List<String> command;

    private ManagedProcess(Process process, Path log, List<String> command) {
        this.process = process;
        this.log = log;
        this.command = command;
    }

    public static ManagedProcess start(List<String> command, Map<String, String> env, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        try {
            return new ManagedProcess(pb.start(), log, List.copyOf(command));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The processes it started, directly or not, that are still running. */
    public Stream<ProcessHandle> descendants() {
        return process.descendants();
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then waits for the exit status. */
    public int terminate(Duration timeout) {
        process.destroy();
        return waitFor(timeout);
    }

    /** Sends signal {@code name} (TERM, INT, QUIT, ...) to the process itself, not its children. */
    public void signal(String name) {
        Processes.run(Duration.ofSeconds(10),
                List.of("kill", "-s", name, Long.toString(process.pid()))).requireOk();
    }

    /** SIGKILL: the process gets no chance to clean up. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /**
     * SIGKILL to every descendant first, then to the process: a launcher script in front of a JVM
     * would otherwise leave the JVM running.
     */
    public void killTree() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        kill();
    }

    /**
     * SIGKILL to the descendants only, as when the real program behind a launcher crashes; the
     * launcher then exits on its own with the crash status.
     */
    public int killDescendants(Duration timeout) {
        List<ProcessHandle> children = process.descendants().toList();
        if (children.isEmpty()) {
            throw new AssertionError(String.join(" ", command) + " has no child process to kill");
        }
        children.forEach(ProcessHandle::destroyForcibly);
        return waitFor(timeout);
    }

    /** The exit status; only valid once the process has ended. */
    public int exitCode() {
        return process.exitValue();
    }

    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", command) + " still running after "
                        + timeout + "\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            killTree();
        }
    }
}
