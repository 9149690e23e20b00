package org.coordinatool.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Open file descriptors and threads of a running process, from {@code /proc/PID/fd} and {@code /proc/PID/task}. */
public record ProcessResources(long pid, int fds, int threads) {

    public static ProcessResources of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        return new ProcessResources(pid, count(proc.resolve("fd")), count(proc.resolve("task")));
    }

    private static int count(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Neither more descriptors nor more threads than {@code baseline}. */
    public boolean noMoreThan(ProcessResources baseline) {
        return fds <= baseline.fds && threads <= baseline.threads;
    }
}
