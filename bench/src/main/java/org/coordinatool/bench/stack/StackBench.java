package org.coordinatool.bench.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coordinatool.bench.Percentiles;
import org.coordinatool.bench.ProcessUsage;

/**
 * The whole system on the Lustre simulator: a simulated mount, the coordinator (with its queue
 * in a private redis-server), movers each running {@code lsim-noop-copytool} under the preload
 * shim; {@code lsim inject} creates files and asks Lustre to archive them, and the run waits
 * until Lustre's own records say every request is over. Everything is started in a work
 * directory and stopped at the end, also after a failure.
 */
public final class StackBench {

    private static final Pattern CREATED = Pattern.compile("created \\d+ files in ([0-9.]+) s");

    private final StackSettings s;
    private final LocalSite site;
    private final List<String> movers = new ArrayList<>();

    private StackBench(StackSettings settings, LocalSite site) {
        this.s = settings;
        this.site = site;
    }

    /** What is done with the figures, before the programs are stopped (which may fail). */
    @FunctionalInterface
    public interface Report {
        void accept(StackResult result) throws IOException;
    }

    /** Runs the benchmark and reports it; the programs are stopped before this returns. */
    public static void run(StackSettings settings, Report report) throws IOException, InterruptedException {
        try (LocalSite site = LocalSite.start(settings.root(), settings.workDir(), settings.keep(), settings.redis(),
                settings.serverJavaOpts(), settings.lustreMaxRequests())) {
            report.accept(new StackBench(settings, site).run());
        }
    }

    private StackResult run() throws IOException, InterruptedException {
        Path copytool = site.tool("tests", "lustre-sim", "bin", "lsim-noop-copytool");
        Path mover = site.tool("mover-agent", "bin", "coordinatool-mover");
        List<Child> started = new ArrayList<>();
        for (int i = 1; i <= s.movers(); i++) {
            String id = "mover" + i;
            String limit = Integer.toString(s.moverLimit());
            movers.add(id);
            started.add(site.add(id, List.of(mover.toString(), "-I", id, "--max-archive", limit,
                    "--max-restore", limit, "--max-remove", limit, "--", copytool.toString(), "--log",
                    timings(id).toString(), site.mount().toString())));
        }
        for (Child m : started) {
            LocalSite.await(m, "connect to the coordinator", () -> m.log().contains("connected to the coordinator"));
        }

        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("server", site.serverPid());
        if (site.redisPid() != 0) {
            pids.put("redis", site.redisPid());
        }
        pids.put("lsim", Long.parseLong(site.lsimStatus().get("pid")));
        started.forEach(m -> pids.put(m.name(), m.pid()));
        Map<String, ProcessUsage> before = usage(pids);

        Path submitted = site.workDir().resolve("submitted.timings");
        String out = site.lsim("inject", "--count", Long.toString(s.requests()), "--size", Long.toString(s.fileSize()),
                "--batch", Integer.toString(s.batch()), "--rate", Double.toString(s.rate()),
                "--log", submitted.toString());
        Matcher created = CREATED.matcher(out);
        double createSeconds = created.find() ? Double.parseDouble(created.group(1)) : 0;
        List<String> offenders = new ArrayList<>(awaitLustreIdle());

        Map<String, ProcessUsage> usage = new LinkedHashMap<>();
        Map<String, ProcessUsage> after = usage(pids);
        after.forEach((name, u) -> usage.put(name, u.since(before.get(name))));

        offenders.addAll(lustreRecords());
        Timings t = new Timings();
        t.readSubmitted(submitted);
        for (String m : movers) {
            t.readCompleted(timings(m), m);
        }
        offenders.addAll(t.offenders());
        boolean ok = offenders.isEmpty() && t.completed() == s.requests();
        return new StackResult(s, ok, offenders, t.submitted(), t.completed(), createSeconds,
                (t.lastSubmitted - t.firstSubmitted) / 1e9,
                t.lastEnded > Long.MIN_VALUE ? (t.lastEnded - t.firstSubmitted) / 1e9 : 0,
                Percentiles.of(t.queueLatencies()), Percentiles.of(t.serviceLatencies()), usage);
    }

    private Path timings(String mover) {
        return site.workDir().resolve(mover + ".timings");
    }

    /** Waits until Lustre holds no waiting or started request; a problem when it stalls. */
    private List<String> awaitLustreIdle() throws IOException, InterruptedException {
        String last = "";
        long lastChange = System.nanoTime();
        while (true) {
            Map<String, String> st = site.lsimStatus();
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
            for (Child c : site.children()) {
                if (!c.isAlive()) {
                    return List.of(c.name() + " exited during the run:\n" + c.logTail());
                }
            }
            Thread.sleep(LocalSite.POLL.toMillis());
        }
    }

    /** Every record of Lustre's action log must be a succeeded archive. */
    private List<String> lustreRecords() throws IOException, InterruptedException {
        long succeeded = 0;
        List<String> out = new ArrayList<>();
        for (String line : site.lsim("actions").lines().toList()) {
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

    private static Map<String, ProcessUsage> usage(Map<String, Long> pids) throws IOException {
        Map<String, ProcessUsage> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            out.put(e.getKey(), ProcessUsage.of(e.getValue()));
        }
        return out;
    }
}
