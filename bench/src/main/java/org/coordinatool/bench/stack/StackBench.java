package org.coordinatool.bench.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.coordinatool.bench.Percentiles;
import org.coordinatool.bench.ProcessUsage;

/**
 * The whole system on the Lustre simulator: a simulated mount, the coordinator (with its queue
 * in a private redis-server), movers each running {@code lsim-noop-copytool} under the preload
 * shim; {@code lsim inject} creates files and asks Lustre to archive them, and the run waits
 * until Lustre's own records say every request is over. Everything is started in a work
 * directory and stopped at the end, also after a failure.
 */
public final class StackBench implements AutoCloseable {

    private static final String FSNAME = "bench";
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Pattern CREATED = Pattern.compile("created \\d+ files in ([0-9.]+) s");

    private final StackSettings s;
    private final Path lsimHome;
    private final Path mount;
    private final Map<String, String> env;
    private final List<Child> movers = new ArrayList<>();
    private Child redis;
    private Child server;
    private boolean mounted;

    private StackBench(StackSettings settings) {
        this.s = settings;
        this.lsimHome = settings.root().resolve("tests").resolve("lustre-sim");
        this.mount = settings.workDir().resolve("mnt");
        this.env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("COORDINATOOL_") || k.equals("JAVA_OPTS"));
        String ld = env.get("LD_LIBRARY_PATH");
        env.put("LD_LIBRARY_PATH", lsimHome.resolve("build") + (ld == null || ld.isEmpty() ? "" : ":" + ld));
        env.put("COORDINATOOL_CONF", settings.workDir().resolve("coordinatool.conf").toString());
    }

    /** Runs the benchmark; the processes are stopped before this returns. */
    public static StackResult run(StackSettings settings) throws IOException, InterruptedException {
        try (StackBench bench = new StackBench(settings)) {
            return bench.run();
        }
    }

    private Path tool(String... relative) throws IOException {
        Path p = s.root().resolve(Path.of("", relative));
        if (!Files.isExecutable(p)) {
            throw new IOException(p + " is missing; build first with 'mvn -B -DskipTests package'");
        }
        return p;
    }

    private StackResult run() throws IOException, InterruptedException {
        Path lsim = tool("tests", "lustre-sim", "bin", "lsim");
        Path copytool = tool("tests", "lustre-sim", "bin", "lsim-noop-copytool");
        Path coordinator = tool("coordinator", "bin", "lhsmd_coordinatool");
        Path mover = tool("mover-agent", "bin", "coordinatool-mover");
        Files.createDirectories(mount);

        run("lsim start", List.of(lsim.toString(), "start", "--root", mount.toString(), "--fsname", FSNAME,
                "-o", "max_requests=" + s.lustreMaxRequests(), "-o", "loop_period=1",
                "-o", "active_request_timeout=86400", "-o", "grace_delay=86400"));
        mounted = true;
        int port = freePort();
        List<String> redisOptions = new ArrayList<>(List.of("--redis-host", ""));
        if (s.redis()) {
            int redisPort = freePort();
            Path dir = Files.createDirectories(s.workDir().resolve("redis"));
            redis = Child.start("redis-server", List.of("redis-server", "--bind", HOST, "--port",
                    Integer.toString(redisPort), "--dir", dir.toString(), "--save", "", "--appendonly", "no"),
                    env, s.workDir().resolve("redis.log"));
            awaitListening(redis, redisPort);
            redisOptions = List.of("--redis-host", HOST, "--redis-port", Integer.toString(redisPort));
        }
        Files.writeString(Path.of(env.get("COORDINATOOL_CONF")), "host " + HOST + "\nport " + port + "\n");
        Map<String, String> serverEnv = new HashMap<>(env);
        serverEnv.put("JAVA_OPTS", s.serverJavaOpts());
        List<String> serverCmd = new ArrayList<>(List.of(coordinator.toString(), "-H", HOST, "-p",
                Integer.toString(port)));
        serverCmd.addAll(redisOptions);
        serverCmd.add(mount.toString());
        server = Child.start("lhsmd_coordinatool", serverCmd, serverEnv, s.workDir().resolve("coordinator.log"));
        awaitListening(server, port);
        for (int i = 1; i <= s.movers(); i++) {
            String id = "mover" + i;
            String limit = Integer.toString(s.moverLimit());
            movers.add(Child.start(id, List.of(mover.toString(), "-I", id, "--max-archive", limit,
                    "--max-restore", limit, "--max-remove", limit, "--", copytool.toString(), "--log",
                    timings(id).toString(), mount.toString()), env, s.workDir().resolve(id + ".log")));
        }
        for (Child m : movers) {
            await(m, "to connect to the coordinator", () -> m.log().contains("connected to the coordinator"));
        }

        long lsimPid = Long.parseLong(status(lsim).get("pid"));
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("server", server.pid());
        if (redis != null) {
            pids.put("redis", redis.pid());
        }
        pids.put("lsim", lsimPid);
        movers.forEach(m -> pids.put(m.name(), m.pid()));
        Map<String, ProcessUsage> before = usage(pids);

        Path submitted = s.workDir().resolve("submitted.timings");
        String out = run("lsim inject", List.of(lsim.toString(), "inject", "--root", mount.toString(),
                "--count", Long.toString(s.requests()), "--size", Long.toString(s.fileSize()),
                "--batch", Integer.toString(s.batch()), "--rate", Double.toString(s.rate()),
                "--log", submitted.toString()));
        Matcher created = CREATED.matcher(out);
        double createSeconds = created.find() ? Double.parseDouble(created.group(1)) : 0;
        List<String> offenders = new ArrayList<>(awaitLustreIdle(lsim));

        Map<String, ProcessUsage> usage = new LinkedHashMap<>();
        Map<String, ProcessUsage> after = usage(pids);
        after.forEach((name, u) -> usage.put(name, u.since(before.get(name))));

        offenders.addAll(lustreRecords(lsim));
        Timings t = new Timings();
        t.readSubmitted(submitted);
        for (Child m : movers) {
            t.readCompleted(timings(m.name()), m.name());
        }
        offenders.addAll(t.offenders());
        boolean ok = offenders.isEmpty() && t.completed() == s.requests();
        return new StackResult(s, ok, offenders, t.submitted(), t.completed(), createSeconds,
                (t.lastSubmitted - t.firstSubmitted) / 1e9,
                t.lastEnded > Long.MIN_VALUE ? (t.lastEnded - t.firstSubmitted) / 1e9 : 0,
                Percentiles.of(t.queueLatencies()), Percentiles.of(t.serviceLatencies()), usage);
    }

    private Path timings(String mover) {
        return s.workDir().resolve(mover + ".timings");
    }

    /** Waits until Lustre holds no waiting or started request; a problem when it stalls. */
    private List<String> awaitLustreIdle(Path lsim) throws IOException, InterruptedException {
        String last = "";
        long lastChange = System.nanoTime();
        while (true) {
            Map<String, String> st = status(lsim);
            String now = st.get("waiting") + "/" + st.get("started");
            if (now.equals("0/0")) {
                return List.of();
            }
            if (!now.equals(last)) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > s.stallSeconds() * 1_000_000_000L) {
                return List.of("Lustre's queue did not move for " + s.stallSeconds() + " s: " + st.get("waiting")
                        + " requests waiting, " + st.get("started") + " started");
            }
            for (Child c : children()) {
                if (!c.isAlive()) {
                    return List.of(c.name() + " exited during the run:\n" + c.logTail());
                }
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Every record of Lustre's action log must be a succeeded archive. */
    private List<String> lustreRecords(Path lsim) throws IOException, InterruptedException {
        long succeeded = 0;
        List<String> out = new ArrayList<>();
        for (String line : run("lsim actions", List.of(lsim.toString(), "actions", "--root", mount.toString()))
                .lines().toList()) {
            if (line.contains(" action=ARCHIVE ") && line.contains(" status=SUCCEED ")) {
                succeeded++;
            } else if (out.size() < Timings.LISTED) {
                out.add("Lustre record not a succeeded archive: " + line);
            }
        }
        if (succeeded != s.requests()) {
            out.add("Lustre recorded " + succeeded + " succeeded archives for " + s.requests() + " requests");
        }
        return out;
    }

    private Map<String, String> status(Path lsim) throws IOException, InterruptedException {
        Map<String, String> out = new HashMap<>();
        for (String line : run("lsim status", List.of(lsim.toString(), "status", "--root", mount.toString()))
                .lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    private static Map<String, ProcessUsage> usage(Map<String, Long> pids) throws IOException {
        Map<String, ProcessUsage> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            out.put(e.getKey(), ProcessUsage.of(e.getValue()));
        }
        return out;
    }

    /** Runs a tool to completion; its standard output, or an exception with its messages. */
    private String run(String what, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        Path err = Files.createTempFile(s.workDir(), "tool", ".err");
        pb.redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
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

    private void awaitListening(Child c, int port) throws IOException, InterruptedException {
        await(c, "to listen on port " + port, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    private static void await(Child c, String what, BooleanSupplier ready) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            if (!c.isAlive()) {
                throw new IOException(c.name() + " exited before " + what.replaceFirst("^to ", "it could ") + ":\n"
                        + c.logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(c.name() + " did not manage " + what + " within " + START_TIMEOUT.toSeconds()
                        + " s:\n" + c.logTail());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private List<Child> children() {
        List<Child> all = new ArrayList<>(movers);
        Stream.of(server, redis).filter(c -> c != null).forEach(all::add);
        return all;
    }

    /** Stops the movers, the coordinator, Redis, then the mount, and removes the work directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        for (Child c : children()) {
            int rc = c.stop(STOP_TIMEOUT);
            if (rc != 0 && rc != 143) {
                problems.add(c.name() + " exited with status " + rc + " when stopped:\n" + c.logTail());
            }
        }
        if (mounted) {
            Path lsim = lsimHome.resolve("bin").resolve("lsim");
            run("lsim stop", List.of(lsim.toString(), "stop", "--root", mount.toString()));
        }
        if (!s.keep()) {
            try (Stream<Path> files = Files.walk(s.workDir())) {
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
