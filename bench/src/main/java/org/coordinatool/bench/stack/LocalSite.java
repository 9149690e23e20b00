package org.coordinatool.bench.stack;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A coordinator of this tree serving a simulated mount, its queue in a private redis-server (or
 * in memory), started in a work directory: what both benchmarks run against when they start
 * their own server. Programs added with {@link #add} (movers) are stopped first by
 * {@link #close}, then the coordinator, Redis and the mount; the work directory is then removed
 * unless it is to be kept.
 */
public final class LocalSite implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    private static final String FSNAME = "bench";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);
    static final Duration POLL = Duration.ofMillis(100);

    private final Path root;
    private final Path workDir;
    private final boolean keep;
    private final Path mount;
    private final Map<String, String> env;
    private final List<Child> added = new ArrayList<>();
    private Child redis;
    private Child server;
    private boolean mounted;
    private int port;
    private List<String> serverCommand;
    private Map<String, String> serverEnv;
    private int serverStarts;

    private LocalSite(Path root, Path workDir, boolean keep) {
        this.root = root;
        this.workDir = workDir;
        this.keep = keep;
        this.mount = workDir.resolve("mnt");
        this.env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("COORDINATOOL_") || k.equals("JAVA_OPTS"));
        String ld = env.get("LD_LIBRARY_PATH");
        env.put("LD_LIBRARY_PATH", root.resolve("tests/lustre-sim/build") + (ld == null || ld.isEmpty() ? "" : ":" + ld));
        env.put("COORDINATOOL_CONF", workDir.resolve("coordinatool.conf").toString());
    }

    /**
     * Mounts the simulator (Lustre tunables as recommended for coordinatool, with
     * {@code lustreMaxRequests}), starts Redis if asked and the coordinator, and returns once it
     * listens.
     */
    public static LocalSite start(Path root, Path workDir, boolean keep, boolean withRedis, String serverJavaOpts,
                                  int lustreMaxRequests) throws IOException, InterruptedException {
        LocalSite site = new LocalSite(root, workDir, keep);
        try {
            site.startAll(withRedis, serverJavaOpts, lustreMaxRequests);
            return site;
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                site.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void startAll(boolean withRedis, String serverJavaOpts, int lustreMaxRequests)
            throws IOException, InterruptedException {
        Path coordinator = tool("coordinator", "bin", "lhsmd_coordinatool");
        Files.createDirectories(mount);
        run("lsim start", List.of(tool("tests", "lustre-sim", "bin", "lsim").toString(), "start", "--root",
                mount.toString(), "--fsname", FSNAME, "-o", "max_requests=" + lustreMaxRequests,
                "-o", "loop_period=1", "-o", "active_request_timeout=86400", "-o", "grace_delay=86400"));
        mounted = true;
        port = freePort();
        // No metrics endpoint: its default port could be taken, and the counters are kept all the same.
        List<String> cmd = new ArrayList<>(List.of(coordinator.toString(), "-H", HOST, "-p", Integer.toString(port),
                "--metrics-port", "0"));
        if (withRedis) {
            int redisPort = freePort();
            Path dir = Files.createDirectories(workDir.resolve("redis"));
            redis = Child.start("redis", List.of("redis-server", "--bind", HOST, "--port", Integer.toString(redisPort),
                    "--dir", dir.toString(), "--save", "", "--appendonly", "no"), env, workDir.resolve("redis.log"));
            awaitListening(redis, redisPort);
            cmd.addAll(List.of("--redis-host", HOST, "--redis-port", Integer.toString(redisPort)));
        } else {
            cmd.addAll(List.of("--redis-host", ""));
        }
        cmd.add(mount.toString());
        Files.writeString(Path.of(env.get("COORDINATOOL_CONF")), "host " + HOST + "\nport " + port + "\n");
        serverEnv = new HashMap<>(env);
        serverEnv.put("JAVA_OPTS", serverJavaOpts);
        serverCommand = cmd;
        startServer();
        awaitListening(server, port);
    }

    private void startServer() throws IOException {
        serverStarts++;
        server = Child.start("server", serverCommand, serverEnv,
                workDir.resolve(serverStarts == 1 ? "coordinator.log" : "coordinator-" + serverStarts + ".log"));
    }

    /**
     * Stops the coordinator as its service manager would (TERM; it keeps its queue in Redis) and
     * starts a new one with the same settings, without waiting for it.
     *
     * @return {@link System#nanoTime()} just before the new one was started
     */
    public long restartServer() throws IOException, InterruptedException {
        int rc = server.stop(STOP_TIMEOUT);
        if (rc != 0) {
            throw new IOException("the coordinator exited with status " + rc + " when stopped:\n" + server.logTail());
        }
        long startedAt = System.nanoTime();
        startServer();
        return startedAt;
    }

    /** Whether the coordinator is running; its log's last lines otherwise. */
    public String serverProblem() {
        return server.isAlive() ? null : "the coordinator exited:\n" + server.logTail();
    }

    /** A program of this tree, checked to be there. */
    public Path tool(String... relative) throws IOException {
        Path p = root.resolve(String.join("/", relative));
        if (!Files.isExecutable(p)) {
            throw new IOException(p + " is missing; build first with 'mvn -B -DskipTests package'");
        }
        return p;
    }

    public Path mount() {
        return mount;
    }

    public Path workDir() {
        return workDir;
    }

    public int port() {
        return port;
    }

    public long serverPid() {
        return server.pid();
    }

    /** 0 without Redis. */
    public long redisPid() {
        return redis == null ? 0 : redis.pid();
    }

    /** The environment the programs run with: no COORDINATOOL_* or JAVA_OPTS of the caller's. */
    Map<String, String> env() {
        return env;
    }

    /** Starts a program that {@link #close} stops before the server. */
    Child add(String name, List<String> command) throws IOException {
        Child c = Child.start(name, command, env, workDir.resolve(name + ".log"));
        added.add(c);
        return c;
    }

    /** The programs that must keep running for the site to work. */
    List<Child> children() {
        List<Child> all = new ArrayList<>(added);
        Stream.of(server, redis).filter(c -> c != null).forEach(all::add);
        return all;
    }

    /** {@code lsim status} of the mount, as a map. */
    Map<String, String> lsimStatus() throws IOException, InterruptedException {
        Map<String, String> out = new HashMap<>();
        for (String line : lsim("status").lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    /** {@code lsim SUBCOMMAND --root MOUNT ARGS...}; its standard output. */
    String lsim(String subcommand, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tool("tests", "lustre-sim", "bin", "lsim").toString(), subcommand,
                "--root", mount.toString()));
        cmd.addAll(List.of(args));
        return run("lsim " + subcommand, cmd);
    }

    /** Runs a tool to completion; its standard output, or an exception with its messages. */
    private String run(String what, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        Path err = Files.createTempFile(workDir, "tool", ".err");
        pb.redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        String stderr = Files.readString(err);
        Files.delete(err);
        if (rc != 0) {
            throw new IOException(what + " failed (exit status " + rc + "): " + stderr.strip());
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(Child c, int port) throws IOException, InterruptedException {
        await(c, "listen on port " + port, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** Waits until {@code ready}; fails when {@code c} exits first or after the start timeout. */
    static void await(Child c, String what, BooleanSupplier ready) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            if (!c.isAlive()) {
                throw new IOException(c.name() + " exited before it could " + what + ":\n" + c.logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(c.name() + " did not " + what + " within " + START_TIMEOUT.toSeconds()
                        + " s:\n" + c.logTail());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        for (Child c : children()) {
            int rc = c.stop(STOP_TIMEOUT);
            if (rc != 0) {
                problems.add(c.name() + " exited with status " + rc + " when stopped:\n" + c.logTail());
            }
        }
        if (mounted) {
            lsim("stop");
        }
        if (!keep) {
            try (Stream<Path> files = Files.walk(workDir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(String.join("\n", problems));
        }
    }
}
