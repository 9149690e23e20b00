package org.coordinatool.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real coordinator server, started through its launcher {@code coordinator/bin/lhsmd_coordinatool}
 * against a simulated mount, on a free loopback port, logging at debug level ({@code -vv}) into its
 * own file. {@link #restart} starts a new server with the same settings and port, as an operator
 * restarting the service would.
 */
public final class CoordinatorProcess implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final AtomicInteger STARTS = new AtomicInteger();

    /**
     * A JVM blocks SIGQUIT in its threads and its children inherit that mask, so a launcher
     * started from this JVM would never see a QUIT. A service manager starts it with nothing
     * blocked; so does this prefix (perl is part of every Debian base system), then it execs.
     */
    private static final List<String> CLEAN_SIGNAL_MASK = List.of("perl", "-MPOSIX", "-e",
            "sigprocmask(SIG_SETMASK, POSIX::SigSet->new) or die \"sigprocmask: $!\\n\";"
                    + " exec { $ARGV[0] } @ARGV or die \"exec $ARGV[0]: $!\\n\";");

    private final Settings settings;
    private final int port;
    private final int metricsPort;
    private final Path log;
    private final ManagedProcess process;

    private CoordinatorProcess(Settings settings, int port, int metricsPort, Path log, ManagedProcess process) {
        this.settings = settings;
        this.port = port;
        this.metricsPort = metricsPort;
        this.log = log;
        this.process = process;
    }

    /** The repository checkout: {@code lsim.home} is its {@code tests/lustre-sim}. */
    public static Path repositoryRoot() {
        return SimMount.home().getParent().getParent();
    }

    /** A launcher of {@code coordinator/bin}: {@code lhsmd_coordinatool} or {@code coordinatool-client}. */
    public static Path launcher(String name) {
        return repositoryRoot().resolve("coordinator").resolve("bin").resolve(name);
    }

    /**
     * What every coordinatool program needs to find the simulator's liblustreapi, plus JVM options
     * for short runs on a busy machine: the C1 compiler alone and the serial collector halve the
     * start-up time, and nothing the programs do depends on either.
     */
    public static Map<String, String> environment() {
        return Map.of("LD_LIBRARY_PATH", SimMount.home().resolve("build").toString(),
                "JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    }

    public static Settings on(SimMount mount, Path workDir) {
        return new Settings(mount.root(), workDir, "", 0, List.of(), null, HOST, Journal.NONE);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server runs as a systemd service whose output goes to the journal. */
    public enum Journal {
        /** Not under systemd: no {@code JOURNAL_STREAM}. */
        NONE,
        /** Its output is the journal: {@code JOURNAL_STREAM} names its log file, as systemd names the stream. */
        STDERR,
        /** {@code JOURNAL_STREAM} inherited from a service but naming another file: output redirected elsewhere. */
        ELSEWHERE
    }

    /**
     * How to run the server: mount point, working directory (configuration and log files), Redis
     * ({@code ""} = none), configuration-file lines, or a configuration file of the test's own, and
     * the address it listens on (its {@code -H}), and whether its output is the journal's.
     */
    public record Settings(Path mountPoint, Path workDir, String redisHost, int redisPort, List<String> configLines,
                           Path configFile, String listenHost, Journal journal) {

        public Settings journal(Journal mode) {
            return new Settings(mountPoint, workDir, redisHost, redisPort, configLines, configFile, listenHost, mode);
        }

        public Settings redis(String host, int port) {
            return new Settings(mountPoint, workDir, host, port, configLines, configFile, listenHost, journal);
        }

        public Settings config(String... lines) {
            List<String> all = new ArrayList<>(configLines);
            all.addAll(List.of(lines));
            return new Settings(mountPoint, workDir, redisHost, redisPort, List.copyOf(all), configFile, listenHost, journal);
        }

        public Settings withMountPoint(Path path) {
            return new Settings(path, workDir, redisHost, redisPort, configLines, configFile, listenHost, journal);
        }

        public Settings withConfigFile(Path file) {
            return new Settings(mountPoint, workDir, redisHost, redisPort, configLines, file, listenHost, journal);
        }

        /** Listens on {@code host} instead of the loopback address (clients still connect to {@link #HOST}). */
        public Settings listenOn(String host) {
            return new Settings(mountPoint, workDir, redisHost, redisPort, configLines, configFile, host, journal);
        }

        /** Starts the server on a free port and returns once it accepts connections. */
        public CoordinatorProcess start() {
            return startOn(freePort());
        }

        public CoordinatorProcess startOn(int port) {
            int n = STARTS.incrementAndGet();
            Path log = workDir.resolve("coordinator-" + n + ".log");
            int metricsPort = freePort();
            List<String> command = command(n, port);
            command.addAll(command.size() - 1, List.of("--metrics-host", HOST, "--metrics-port",
                    Integer.toString(metricsPort)));
            ManagedProcess p = ManagedProcess.start(command, environmentLoggingTo(log), log);
            CoordinatorProcess c = new CoordinatorProcess(this, port, metricsPort, log, p);
            try {
                c.awaitListening();
            } catch (RuntimeException | Error e) {
                p.close();
                throw e;
            }
            return c;
        }

        private Map<String, String> environmentLoggingTo(Path log) {
            if (journal == Journal.NONE) {
                return CoordinatorProcess.environment();
            }
            Map<String, String> env = new HashMap<>(CoordinatorProcess.environment());
            try {
                Files.createDirectories(workDir);
                Path named = log;
                if (journal == Journal.ELSEWHERE) {
                    named = workDir.resolve("journal-stream-elsewhere");
                }
                if (!Files.exists(named)) {
                    Files.createFile(named);
                }
                env.put("JOURNAL_STREAM", Files.getAttribute(named, "unix:dev") + ":"
                        + Files.getAttribute(named, "unix:ino"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return env;
        }

        /** Runs a server expected to fail at start-up, to completion, with separate stdout and stderr. */
        public ProcessResult runUntilExit(int port, Duration timeout) {
            return Processes.run(timeout, command(STARTS.incrementAndGet(), port), CoordinatorProcess.environment(), null);
        }

        /** Writes the configuration lines into a file named after {@code n}. */
        public Path writeConfig(int n) {
            Path file = workDir.resolve("coordinatool-" + n + ".conf");
            try {
                Files.createDirectories(workDir);
                Files.write(file, configLines);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return file;
        }

        private List<String> command(int n, int port) {
            Path config = configFile != null ? configFile : writeConfig(n);
            List<String> cmd = new ArrayList<>(CLEAN_SIGNAL_MASK);
            cmd.addAll(List.of(launcher("lhsmd_coordinatool").toString(), "-vv",
                    "-c", config.toString(), "-H", listenHost, "-p", Integer.toString(port),
                    "--redis-host", redisHost));
            if (!redisHost.isEmpty()) {
                cmd.add("--redis-port");
                cmd.add(Integer.toString(redisPort));
            }
            cmd.add(mountPoint.toString());
            return cmd;
        }
    }

    public int port() {
        return port;
    }

    /** The launcher's pid; the server's JVM is its child. */
    public long pid() {
        return process.pid();
    }

    /** Port of its Prometheus endpoint, on {@link #HOST}: each server gets a free one. */
    public int metricsPort() {
        return metricsPort;
    }

    public String log() {
        return process.log();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the log contains {@code fragment}. */
    public void awaitLog(String fragment, Duration timeout) {
        Await.until(timeout, "coordinator log line containing '" + fragment + "' in " + log,
                () -> log().contains(fragment));
    }

    /** A new server with the same settings on the same port. */
    public CoordinatorProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("the coordinator on port " + port + " is still running");
        }
        return settings.startOn(port);
    }

    /** The server's JVM: the launcher's only child process. */
    public long serverPid() {
        List<ProcessHandle> children = process.descendants().toList();
        if (children.size() != 1) {
            throw new AssertionError("expected the server JVM as the launcher's only child, found " + children.size());
        }
        return children.get(0).pid();
    }

    /** SIGKILL to the server's JVM: a crash; returns the launcher's exit status. */
    public int kill9() {
        return process.killDescendants(STOP_TIMEOUT);
    }

    /** SIGTERM to the launcher; returns the exit status. */
    public int terminate() {
        return process.terminate(STOP_TIMEOUT);
    }

    /** Sends signal {@code name} to the launcher and returns the exit status. */
    public int stopWith(String signal) {
        process.signal(signal);
        return process.waitFor(STOP_TIMEOUT);
    }

    public int waitForExit(Duration timeout) {
        return process.waitFor(timeout);
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("coordinator exited with status " + process.exitCode()
                        + " before listening on port " + port + "\n" + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("coordinator not listening on port " + port + " after "
                            + START_TIMEOUT + "\n" + log());
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
