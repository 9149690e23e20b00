package org.coordinatool.tests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs real child processes with a deadline and captures their output. */
public final class Processes {

    private Processes() {
    }

    public static ProcessResult run(Duration timeout, List<String> command) {
        return run(timeout, command, Map.of(), null);
    }

    public static ProcessResult run(Duration timeout, List<String> command,
                                    Map<String, String> env, Path cwd) {
        return run(timeout, command, env, cwd, null);
    }

    /** Like {@link #run(Duration, List, Map, Path)} with {@code stdin} as standard input. */
    public static ProcessResult run(Duration timeout, List<String> command,
                                    Map<String, String> env, Path cwd, byte[] stdin) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        if (stdin != null) {
            feed(p, stdin);
        }
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within "
                        + timeout + "\n--- stdout ---\n" + out.text() + "--- stderr ---\n"
                        + err.text());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
        return new ProcessResult(List.copyOf(command), p.exitValue(), out.text(), err.text());
    }

    /** Writes {@code input} on its own thread, so a child that does not read cannot block us. */
    private static void feed(Process p, byte[] input) {
        Thread writer = new Thread(() -> {
            try (var toChild = p.getOutputStream()) {
                toChild.write(input);
            } catch (IOException ignored) {
                // the child exited without reading everything; its exit status tells the story
            }
        }, "process-feed");
        writer.setDaemon(true);
        writer.start();
    }

    public static List<String> command(Path executable, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Reads a child's stream on its own thread so a chatty child never blocks on a full pipe. */
    private static final class Drain {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in) {
            thread = new Thread(() -> {
                try (in) {
                    in.transferTo(buf);
                } catch (IOException ignored) {
                    // the child is gone; what was read is all there is
                }
            }, "process-drain");
            thread.setDaemon(true);
            thread.start();
        }

        String text() {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
