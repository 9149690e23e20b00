package org.coordinatool.bench;

import static org.coordinatool.bench.OptionChecks.require;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.coordinatool.bench.stack.LocalSite;
import org.coordinatool.bench.stack.StackCommand;
import org.coordinatool.coordinator.Version;
import org.coordinatool.coordinator.net.PortNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coordinatool-bench}: drives a server speaking the coordinatool protocol (this one or the
 * original) with synthetic requests and protocol-level agents, checks that every request was
 * dispatched exactly once and completed, and reports rates, latencies and the server's resource
 * use. Exit status: 0 when every check passed, 1 when one failed (the offenders are listed on
 * standard error), 2 on bad options.
 */
@Command(name = "coordinatool-bench", sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = CoordinatoolBench.VersionProvider.class,
        footer = {"", "coordinatool-bench stack [options]: the full-stack benchmark on the Lustre simulator;",
            "coordinatool-bench recovery [options]: restart to first dispatch with a deep queue in Redis",
            "(see the --help of each)."},
        description = "Benchmarks a coordinatool server at the protocol level: queues synthetic requests,"
                + " runs agents that complete them, checks each was dispatched exactly once and completed,"
                + " reports rates and latencies.")
public final class CoordinatoolBench implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Server host (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Server port (default: ${DEFAULT-VALUE}).")
    String port = "5123";

    @Option(names = {"-n", "--requests"}, paramLabel = "N",
            description = "Requests to inject and complete (default: ${DEFAULT-VALUE}).")
    long requests = 100_000;

    @Option(names = "--mix", paramLabel = "TYPE=WEIGHT,...",
            description = "Share of each action: archive, restore, remove (default: ${DEFAULT-VALUE}).")
    String mix = "archive=100";

    @Option(names = "--data-size", paramLabel = "BYTES",
            description = "Bytes of hai_data per request (default: ${DEFAULT-VALUE}).")
    int dataSize = 32;

    @Option(names = "--rate", paramLabel = "REQ_PER_S",
            description = "Injection rate; 0 for as fast as the server acknowledges (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--batch", paramLabel = "ITEMS", description = "Items per queue message (default: ${DEFAULT-VALUE}).")
    int batch = 100;

    @Option(names = "--window", paramLabel = "MESSAGES",
            description = "Queue messages in flight, not yet acknowledged (default: ${DEFAULT-VALUE}).")
    int window = 16;

    @Option(names = "--agents", paramLabel = "K", description = "Protocol-level agents (default: ${DEFAULT-VALUE}).")
    int agents = 4;

    @Option(names = "--max-archive", paramLabel = "N",
            description = "Each agent's max_archive; -1: no limit (default: ${DEFAULT-VALUE}).")
    int maxArchive = 100;

    @Option(names = "--max-restore", paramLabel = "N",
            description = "Each agent's max_restore; -1: no limit (default: ${DEFAULT-VALUE}).")
    int maxRestore = 100;

    @Option(names = "--max-remove", paramLabel = "N",
            description = "Each agent's max_remove; -1: no limit (default: ${DEFAULT-VALUE}).")
    int maxRemove = 100;

    @Option(names = "--max-bytes", paramLabel = "BYTES",
            description = "Each agent's max_bytes (default: ${DEFAULT-VALUE}).")
    long maxBytes = 1_048_576;

    @Option(names = "--service-time-ms", paramLabel = "MS",
            description = "Time an agent takes per list of items before its dones (default: ${DEFAULT-VALUE}).")
    double serviceTimeMs;

    @Option(names = "--archive-id", paramLabel = "ID",
            description = "Archive id of the requests and of the agents (default: ${DEFAULT-VALUE}).")
    int archiveId = 1;

    @Option(names = "--fsname", paramLabel = "NAME", description = "Filesystem name the agents send in ehlo.")
    String fsname;

    @Option(names = "--preload-archives", paramLabel = "M",
            description = "Archives to queue first, with no agent taking archives (max_archive 0), so that the"
                    + " requests are measured past a deep archive queue; the mix must then have no archives"
                    + " (default: ${DEFAULT-VALUE}).")
    long preloadArchives;

    @Option(names = "--agents-after-injection",
            description = "Connect the agents once every request is queued (for servers that, like the original,"
                    + " do not schedule after a queue command).")
    boolean agentsAfterInjection;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS",
            description = "Fail when nothing is queued, dispatched or completed for this long (default: ${DEFAULT-VALUE}).")
    int stallSeconds = 30;

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "Report this process's CPU seconds during the run and peak RSS, with its descendants.")
    long serverPid;

    @Option(names = "--redis-pid", paramLabel = "PID", description = "Likewise for Redis.")
    long redisPid;

    @Option(names = "--json", description = "Print the figures as one JSON object.")
    boolean json;

    @Option(names = "--local",
            description = "Start this tree's coordinator on a simulated mount, with its queue in a private"
                    + " redis-server, and benchmark it (its and Redis's pids are then measured; -H, -p and the"
                    + " pids are not to be given).")
    boolean local;

    @Option(names = "--no-redis", description = "With --local: run the coordinator without Redis (memory only).")
    boolean noRedis;

    @Option(names = "--server-java-opts", paramLabel = "OPTS",
            description = "With --local: JAVA_OPTS of the coordinator, e.g. to record a JFR profile.")
    String serverJavaOpts = "";

    @Option(names = "--keep", paramLabel = "DIR",
            description = "With --local: run in DIR (created if needed) and keep it, with the coordinator's log.")
    Path keepDir;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean versionRequested;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean helpRequested;

    /** The protocol mode creates no Lustre request: the MDT's default will do. */
    private static final int LUSTRE_MAX_REQUESTS = 1000;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command and returns its exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CoordinatoolBench bench = new CoordinatoolBench();
        bench.out = out;
        bench.err = err;
        CommandLine cl = new CommandLine(bench);
        cl.addSubcommand(new StackCommand(installRoot(), out, err));
        cl.addSubcommand(new RecoveryCommand(installRoot(), out, err));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /**
     * The source tree or distribution the launcher belongs to: {@code bench/bin/..}/.., as the
     * launcher tells; the current directory when run otherwise.
     */
    static Path installRoot() {
        String launcherDir = System.getProperty("coordinatool.launcher.dir");
        return launcherDir == null ? Path.of("").toAbsolutePath()
                : Path.of(launcherDir).toAbsolutePath().getParent().getParent();
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        BenchSettings settings = settings();
        if (!local) {
            return report(ProtocolBench.run(settings));
        }
        Path work = keepDir != null ? Files.createDirectories(keepDir) : Files.createTempDirectory("coordinatool-bench.");
        LocalSite site = LocalSite.start(installRoot(), work, keepDir != null, !noRedis, serverJavaOpts,
                LUSTRE_MAX_REQUESTS);
        int status;
        try {
            // Reported before the site stops, which may fail or take long under load.
            status = report(ProtocolBench.run(settings.against(LocalSite.HOST, site.port(), site.serverPid(),
                    site.redisPid())));
        } finally {
            try {
                site.close();
            } catch (IOException e) {
                err.println("coordinatool-bench: stopping the local coordinator: " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }

    /** Prints the figures, and the offenders on standard error; returns the exit status. */
    private int report(BenchResult result) throws IOException {
        if (json) {
            ResultReport.json(result, out);
        } else {
            ResultReport.table(result, out);
        }
        if (!result.ok()) {
            ReportParts.offences(err, result.offenders());
            return 1;
        }
        return 0;
    }

    private BenchSettings settings() {
        CommandLine cl = spec.commandLine();
        int portNumber;
        ActionMix actionMix;
        try {
            portNumber = PortNames.resolve(port);
            actionMix = ActionMix.parse(mix);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage(), e);
        }
        require(cl, requests >= 1 && requests + preloadArchives <= SyntheticRequests.MAX_REQUESTS
                && requests <= Integer.MAX_VALUE - 8, "--requests must be in 1.." + (Integer.MAX_VALUE - 8)
                + " (and, with --preload-archives, add up to at most 2^32)");
        require(cl, preloadArchives >= 0, "--preload-archives must not be negative");
        require(cl, preloadArchives == 0 || actionMix.archive() == 0,
                "--preload-archives leaves no agent taking archives: the --mix must have no archive");
        require(cl, preloadArchives == 0 || !agentsAfterInjection,
                "--preload-archives measures with the agents waiting: it excludes --agents-after-injection");
        require(cl, dataSize >= 0 && dataSize <= 65_536, "--data-size must be in 0..65536");
        require(cl, rate >= 0 && Double.isFinite(rate), "--rate must be a non-negative number");
        require(cl, batch >= 1, "--batch must be at least 1");
        require(cl, window >= 1, "--window must be at least 1");
        require(cl, agents >= 1, "--agents must be at least 1");
        require(cl, serviceTimeMs >= 0 && Double.isFinite(serviceTimeMs), "--service-time-ms must not be negative");
        require(cl, archiveId >= 1, "--archive-id must be at least 1");
        require(cl, stallSeconds >= 1, "--stall-timeout must be at least 1");
        require(cl, serverPid >= 0 && redisPid >= 0, "pids must be positive");
        CommandLine.ParseResult given = cl.getParseResult();
        require(cl, !local || serverPid == 0 && redisPid == 0 && !given.hasMatchedOption("-H")
                && !given.hasMatchedOption("-p"),
                "--local starts its own server: -H, -p, --server-pid and --redis-pid do not go with it");
        require(cl, local || (!noRedis && serverJavaOpts.isEmpty() && keepDir == null),
                "--no-redis, --server-java-opts and --keep only go with --local");
        return new BenchSettings(host, portNumber, requests, actionMix, dataSize, rate, batch, window, agents,
                maxArchive, maxRestore, maxRemove, maxBytes, Math.round(serviceTimeMs * 1e6), archiveId, fsname,
                preloadArchives, agentsAfterInjection, stallSeconds, serverPid, redisPid);
    }

    /** The project version, as the other programs print it. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"coordinatool-bench " + Version.text()};
        }
    }
}
