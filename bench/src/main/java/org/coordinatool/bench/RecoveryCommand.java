package org.coordinatool.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.coordinatool.bench.stack.LocalSite;
import org.coordinatool.coordinator.client.ClientProtection;
import org.coordinatool.coordinator.client.Deadline;
import org.coordinatool.coordinator.client.MessageReader;
import org.coordinatool.coordinator.client.ServerConnection;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.InvalidContentException;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coordinatool-bench recovery}: how long this tree's coordinator takes, after a restart,
 * to read a deep queue back from Redis and dispatch its first request. N archives are queued (no
 * agent connected), the coordinator is stopped as a service manager stops it and started again,
 * and an agent connects as soon as the new server listens and asks for work: the figure is from
 * the new server's start to the agent's receipt of its first list. The recovered queue is then
 * checked to hold all N requests.
 */
@CommandLine.Command(name = "recovery", sortOptions = false, usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = "Measures this tree's coordinator, with Redis on a simulated mount, from a restart with N"
                + " queued requests to the first dispatch.")
public final class RecoveryCommand implements Callable<Integer> {

    private static final int BATCH = 1000;
    private static final int WINDOW = 8;
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-n", "--requests"}, paramLabel = "N",
            description = "Archives queued before the restart (default: ${DEFAULT-VALUE}).")
    long requests = 100_000;

    @Option(names = "--data-size", paramLabel = "BYTES", description = "Bytes of hai_data per request (default: ${DEFAULT-VALUE}).")
    int dataSize = 32;

    @Option(names = "--server-java-opts", paramLabel = "OPTS", description = "JAVA_OPTS of the coordinator.")
    String serverJavaOpts = "";

    @Option(names = "--json", description = "Print the figures as one JSON object.")
    boolean json;

    private final Path root;
    private final PrintStream out;
    private final PrintStream err;

    RecoveryCommand(Path root, PrintStream out, PrintStream err) {
        this.root = root;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (requests < 1 || requests > Integer.MAX_VALUE || dataSize < 0 || dataSize > 65_536) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--requests must be in 1..2147483647 and --data-size in 0..65536");
        }
        Path work = Files.createTempDirectory("coordinatool-bench.");
        try (LocalSite site = LocalSite.start(root, work, false, true, serverJavaOpts, 1000)) {
            SyntheticRequests r = new SyntheticRequests(1 + (int) (System.nanoTime() & 0xfffffe), 0, requests,
                    ActionMix.parse("archive=1"), 1, SyntheticRequests.data(dataSize));
            long t0 = System.nanoTime();
            preload(site.port(), r);
            double preloadSeconds = (System.nanoTime() - t0) / 1e9;
            long restartedAt = site.restartServer();
            Figures f = firstDispatch(site, restartedAt);
            long recovered = queued(site.port());
            ProcessUsage server = ProcessUsage.of(site.serverPid());
            boolean ok = recovered == requests;
            print(preloadSeconds, f, recovered, server);
            if (!ok) {
                err.println("coordinatool-bench: FAILED: " + recovered + " of " + requests
                        + " requests are queued or running after the restart");
                return 1;
            }
            return 0;
        }
    }

    private record Figures(double listeningSeconds, double firstDispatchSeconds) {
    }

    /** Queues every request, WINDOW messages of BATCH items in flight. */
    private static void preload(int port, SyntheticRequests r) throws IOException, InterruptedException {
        try (ServerConnection c = ServerConnection.open(LocalSite.HOST, Integer.toString(port), ClientProtection.NONE,
                new Command.Ehlo(null, null, null, null, List.of()), Deadline.after(TIMEOUT))) {
            long sent = 0;
            long acknowledged = 0;
            int inFlight = 0;
            while (acknowledged < r.total()) {
                while (inFlight < WINDOW && sent < r.total()) {
                    int n = (int) Math.min(BATCH, r.total() - sent);
                    List<WireItem> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        items.add(r.item(sent + i));
                    }
                    c.send(new Command.Queue(true, items, List.of(), null));
                    sent += n;
                    inFlight++;
                }
                Reply reply = decode(c.read());
                if (!(reply instanceof Reply.QueueResult q) || q.status() != 0 || q.skipped() != 0) {
                    throw new IOException("queue refused: " + ServerConnection.describe(reply));
                }
                acknowledged += q.enqueued();
                inFlight--;
            }
        }
    }

    /** Connects as soon as the server listens, says ehlo and recv, waits for the first list. */
    private static Figures firstDispatch(LocalSite site, long restartedAt) throws IOException, InterruptedException {
        long deadline = restartedAt + TIMEOUT.toNanos();
        while (true) {
            String problem = site.serverProblem();
            if (problem != null) {
                throw new IOException(problem);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the restarted coordinator did not listen within " + TIMEOUT.toMinutes() + " min");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(LocalSite.HOST, site.port()), 1000);
                long listening = System.nanoTime();
                socket.setTcpNoDelay(true);
                OutputStream o = socket.getOutputStream();
                o.write(JsonCodec.encodeCommand(new Command.Ehlo("recovery-agent", null, List.of(1L), List.of(),
                        List.of())));
                o.write(JsonCodec.encodeCommand(new Command.Recv(100, 100, 100, 1_048_576)));
                o.flush();
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                MessageReader in = new MessageReader(socket.getInputStream());
                while (true) {
                    Reply reply = decode(in.next());
                    if (reply instanceof Reply.ActionList) {
                        long now = System.nanoTime();
                        return new Figures((listening - restartedAt) / 1e9, (now - restartedAt) / 1e9);
                    }
                    if (!(reply instanceof Reply.Simple s && s.status() == 0)) {
                        throw new IOException("the agent was refused: " + ServerConnection.describe(reply));
                    }
                }
            } catch (ConnectException notYet) {
                Thread.sleep(5);
            }
        }
    }

    /** Pending plus running requests of every type, from a status. */
    private static long queued(int port) throws IOException, InterruptedException {
        try (ServerConnection c = ServerConnection.open(LocalSite.HOST, Integer.toString(port), ClientProtection.NONE,
                new Command.Ehlo(null, null, null, null, List.of()), Deadline.after(TIMEOUT))) {
            c.send(new Command.Status(4));
            if (decode(c.read()) instanceof Reply.StatusReport s) {
                Reply.Counters k = s.counters();
                return k.pendingArchive() + k.runningArchive() + k.pendingRestore() + k.runningRestore()
                        + k.pendingRemove() + k.runningRemove();
            }
            throw new IOException("no status report");
        }
    }

    private static Reply decode(byte[] message) throws IOException {
        try {
            return JsonCodec.decodeReply(message);
        } catch (InvalidContentException e) {
            throw new IOException("undecodable reply: " + e.getMessage(), e);
        }
    }

    private void print(double preloadSeconds, Figures f, long recovered, ProcessUsage server) {
        if (json) {
            out.printf(Locale.ROOT, "{%n  \"ok\" : %b,%n  \"mode\" : \"recovery\",%n  \"requests\" : %d,%n"
                    + "  \"preload_seconds\" : %.3f,%n  \"restart_to_listening_seconds\" : %.3f,%n"
                    + "  \"restart_to_first_dispatch_seconds\" : %.3f,%n  \"recovered\" : %d,%n"
                    + "  \"server_peak_rss_bytes\" : %d%n}%n", recovered == requests, requests, preloadSeconds,
                    f.listeningSeconds(), f.firstDispatchSeconds(), recovered, server.peakRssBytes());
            return;
        }
        out.printf(Locale.ROOT, "recovery          %d archives queued in Redis (%.2f s to queue), server restarted%n",
                requests, preloadSeconds);
        out.printf(Locale.ROOT, "result            %s: %d requests recovered%n", recovered == requests ? "OK" : "FAILED",
                recovered);
        out.printf(Locale.ROOT, "restart→listening %.3f s%n", f.listeningSeconds());
        out.printf(Locale.ROOT, "restart→dispatch  %.3f s (first list received by an agent)%n",
                f.firstDispatchSeconds());
        out.printf(Locale.ROOT, "server            peak RSS %d MiB after recovery%n", server.peakRssBytes() >> 20);
    }
}
