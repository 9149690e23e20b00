package org.coordinatool.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * The coordinator's report files: {@code <mount>/<reporting_dir>/<name>}, one event per line.
 * The coordinator appends lines as events happen, so a reader may catch a line half written; only
 * complete lines are returned.
 */
public final class ReportFiles {

    private final Path dir;

    public ReportFiles(SimMount mount, String reportingDir) {
        this.dir = mount.path(reportingDir);
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public boolean exists(String name) {
        return Files.exists(file(name));
    }

    /** The complete lines of report {@code name}, without their newlines; none if it does not exist. */
    public List<String> lines(String name) {
        String text;
        try {
            text = new String(Files.readAllBytes(file(name)), StandardCharsets.UTF_8);
        } catch (NoSuchFileException gone) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int end = text.lastIndexOf('\n') + 1;
        return text.substring(0, end).lines().toList();
    }

    /** Waits until the lines of report {@code name} satisfy {@code ok}; returns them. */
    public List<String> await(String name, String what, Predicate<List<String>> ok) {
        return Await.value(MoverSite.DEADLINE, "report " + name + ": " + what, () -> lines(name), ok);
    }

    public void awaitDeleted(String name) {
        Await.until(MoverSite.DEADLINE, "report " + name + " deleted", () -> !exists(name));
    }

    /** How many of {@code lines} start with {@code prefix}. */
    public static long count(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }
}
