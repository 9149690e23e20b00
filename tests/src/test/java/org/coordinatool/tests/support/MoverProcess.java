package org.coordinatool.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real mover: {@code mover-agent/bin/coordinatool-mover} running the simulator's unmodified
 * {@code lsim-copytool} under the preload shim, against a coordinator on the loopback interface.
 * Its output and the copytool's go to one log file per start. It reads no configuration file of
 * the machine: everything is given on its command line.
 */
public final class MoverProcess implements AutoCloseable {

    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private static final AtomicInteger STARTS = new AtomicInteger();

    private final Settings settings;
    private final Path log;
    private final ManagedProcess process;
    private final List<ProcessHandle> orphans = new ArrayList<>();

    private MoverProcess(Settings settings, Path log, ManagedProcess process) {
        this.settings = settings;
        this.log = log;
        this.process = process;
    }

    public static Path launcher() {
        return CoordinatorProcess.repositoryRoot().resolve("mover-agent").resolve("bin").resolve("coordinatool-mover");
    }

    /**
     * A mover named {@code clientId} whose copytool archives into {@code archive}.
     *
     * @param workDir where its log files, empty configuration file and socket directory go
     */
    public static Settings of(String clientId, int coordinatorPort, SimMount mount, Path archive, Path workDir) {
        return new Settings(clientId, coordinatorPort, mount.root(), archive, workDir, List.of(), List.of());
    }

    /**
     * @param moverOptions    options of coordinatool-mover (limits, timeouts, ...)
     * @param copytoolOptions options of lsim-copytool before its mount point (archive ids, bandwidth, ...)
     */
    public record Settings(String clientId, int coordinatorPort, Path mountPoint, Path archive, Path workDir,
                           List<String> moverOptions, List<String> copytoolOptions) {

        public Settings mover(String... options) {
            return new Settings(clientId, coordinatorPort, mountPoint, archive, workDir, concat(moverOptions, options),
                    copytoolOptions);
        }

        public Settings copytool(String... options) {
            return new Settings(clientId, coordinatorPort, mountPoint, archive, workDir, moverOptions,
                    concat(copytoolOptions, options));
        }

        public Settings port(int port) {
            return new Settings(clientId, port, mountPoint, archive, workDir, moverOptions, copytoolOptions);
        }

        /** The copytool archives into {@code root} instead. */
        public Settings archive(Path root) {
            return new Settings(clientId, coordinatorPort, mountPoint, root, workDir, moverOptions, copytoolOptions);
        }

        private static List<String> concat(List<String> list, String... more) {
            List<String> all = new ArrayList<>(list);
            all.addAll(List.of(more));
            return List.copyOf(all);
        }

        public MoverProcess start() {
            int n = STARTS.incrementAndGet();
            Path sockets = workDir.resolve("sockets");
            Path config = workDir.resolve("empty.conf");
            try {
                Files.createDirectories(sockets);
                Files.createDirectories(archive);
                if (!Files.exists(config)) {
                    Files.writeString(config, "");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> cmd = new ArrayList<>(List.of(launcher().toString(), "-H", CoordinatorProcess.HOST,
                    "-p", Integer.toString(coordinatorPort), "-I", clientId, "--socket-dir", sockets.toString()));
            cmd.addAll(moverOptions);
            cmd.add("--");
            cmd.addAll(List.of(SimMount.tool("lsim-copytool").toString(), "-p", archive.toString()));
            cmd.addAll(copytoolOptions);
            cmd.add(mountPoint.toString());
            Map<String, String> env = new HashMap<>(CoordinatorProcess.environment());
            env.put("COORDINATOOL_CONF", config.toString());
            Path log = workDir.resolve("mover-" + clientId + "-" + n + ".log");
            return new MoverProcess(this, log, ManagedProcess.start(cmd, env, log));
        }
    }

    public Settings settings() {
        return settings;
    }

    public String clientId() {
        return settings.clientId();
    }

    public Path logFile() {
        return log;
    }

    public String log() {
        return process.log();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the log contains {@code fragment} at least {@code times} times. */
    public void awaitLog(String fragment, int times, Duration timeout) {
        Await.until(timeout, times + " log lines containing '" + fragment + "' in " + log,
                () -> LogText.count(log(), fragment) >= times);
    }

    /** Waits until the agent is connected to the coordinator on behalf of its registered copytool. */
    public MoverProcess awaitConnected(Duration timeout) {
        awaitLog("connected to the coordinator", 1, timeout);
        return this;
    }

    /** The copytool process the agent runs now (its only {@code lsim-copytool} descendant). */
    public ProcessHandle copytool() {
        String suffix = "/" + SimMount.tool("lsim-copytool").getFileName();
        return Await.value(STOP_TIMEOUT, "the copytool process of mover " + clientId(), () -> process.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith(suffix)).orElse(false)).toList(),
                l -> l.size() == 1).get(0);
    }

    /**
     * SIGSTOP to the copytool, returning once it is stopped: it keeps whatever it was handed but
     * makes no progress, as a copytool blocked on its backend would. Its agent keeps running and
     * stays connected, so the coordinator still counts that work as running on this mover.
     */
    public void freezeCopytool() {
        ProcessHandle copytool = copytool();
        signal(copytool, "STOP");
        Await.until(STOP_TIMEOUT, "copytool pid " + copytool.pid() + " stopped", () -> isStopped(copytool));
    }

    /** SIGCONT to a copytool stopped by {@link #freezeCopytool}, returning once it runs again. */
    public void thawCopytool() {
        ProcessHandle copytool = copytool();
        signal(copytool, "CONT");
        Await.until(STOP_TIMEOUT, "copytool pid " + copytool.pid() + " running again", () -> !isStopped(copytool));
    }

    private static void signal(ProcessHandle p, String name) {
        Processes.run(Duration.ofSeconds(10), List.of("kill", "-s", name, Long.toString(p.pid()))).requireOk();
    }

    /**
     * Whether {@code p} has ended: gone, or a zombie that nobody reaped yet (an orphan's new
     * parent may be slow to, or never, reap it).
     */
    public static boolean hasEnded(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            return !p.isAlive() || stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (java.nio.file.NoSuchFileException gone) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state of pid " + p.pid(), e);
        }
    }

    /** Whether {@code p} is in state T (stopped by a signal), from {@code /proc/PID/stat}. */
    private static boolean isStopped(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            // The state follows the command name, which is in parentheses and may hold anything.
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'T';
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state of pid " + p.pid(), e);
        }
    }

    /** SIGTERM; returns the exit status. */
    public int terminate() {
        return process.terminate(STOP_TIMEOUT);
    }

    /** SIGKILL to the agent and its copytool, as when the mover's node dies. */
    public void killTree() {
        process.killTree();
    }

    /**
     * SIGKILL to the agent alone, as when the kernel's out-of-memory killer picks it; returns once
     * the agent is gone, with the copytool it ran (still running, unless something stops it).
     * {@link #close} kills that copytool too.
     */
    public ProcessHandle killAgent() {
        ProcessHandle copytool = copytool();
        orphans.add(copytool);
        process.kill();
        return copytool;
    }

    /** SIGKILL to the copytool alone (the agent restarts it); returns once it is gone. */
    public void killCopytool() {
        ProcessHandle copytool = copytool();
        copytool.destroyForcibly();
        Await.until(STOP_TIMEOUT, "copytool pid " + copytool.pid() + " gone", () -> !copytool.isAlive());
    }

    /** A new mover with the same settings (same client id). */
    public MoverProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("mover " + clientId() + " is still running");
        }
        return settings.start();
    }

    @Override
    public void close() {
        orphans.forEach(ProcessHandle::destroyForcibly);
        process.close();
    }
}
