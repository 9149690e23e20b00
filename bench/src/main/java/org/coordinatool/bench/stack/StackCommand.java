package org.coordinatool.bench.stack;

import static org.coordinatool.bench.OptionChecks.require;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.coordinatool.bench.ReportParts;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code coordinatool-bench stack}: the full-stack benchmark on the Lustre simulator. */
@Command(name = "stack", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = "Runs the whole system on the Lustre simulator (coordinator with Redis, movers running"
                + " lsim-noop-copytool under the preload shim), creates files and asks Lustre to archive them,"
                + " waits until Lustre records every request as done, checks each reached a copytool exactly"
                + " once, and reports rates, latencies and each program's resource use.")
public final class StackCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-n", "--requests"}, paramLabel = "N", description = "Files to archive (default: ${DEFAULT-VALUE}).")
    long requests = 10_000;

    @Option(names = "--movers", paramLabel = "M", description = "Mover agents (default: ${DEFAULT-VALUE}).")
    int movers = 2;

    @Option(names = "--max-archive", paramLabel = "N",
            description = "Each mover's max_archive, max_restore and max_remove (default: ${DEFAULT-VALUE}).")
    int moverLimit = 100;

    @Option(names = "--rate", paramLabel = "REQ_PER_S",
            description = "Archive requests per second submitted to Lustre; 0: all at once (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--batch", paramLabel = "ITEMS",
            description = "Items per Lustre request, 1..52 (default: ${DEFAULT-VALUE}).")
    int batch = 50;

    @Option(names = "--file-size", paramLabel = "BYTES", description = "Bytes per file (default: ${DEFAULT-VALUE}).")
    long fileSize;

    @Option(names = "--lustre-max-requests", paramLabel = "N",
            description = "The MDT's max_requests: requests Lustre hands the coordinator at once (default: ${DEFAULT-VALUE}).")
    int lustreMaxRequests = 1000;

    @Option(names = "--no-redis", description = "Run the coordinator without Redis (memory only).")
    boolean noRedis;

    @Option(names = "--server-java-opts", paramLabel = "OPTS",
            description = "JAVA_OPTS of the coordinator, e.g. to record a JFR profile.")
    String serverJavaOpts = "";

    @Option(names = "--stall-timeout", paramLabel = "SECONDS",
            description = "Fail when Lustre's queue does not move for this long (default: ${DEFAULT-VALUE}).")
    int stallSeconds = 60;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Directory for the mount, logs and timings (default: a new temporary directory).")
    Path workDir;

    @Option(names = "--keep", description = "Keep the work directory (logs, timings) at the end.")
    boolean keep;

    @Option(names = "--json", description = "Print the figures as one JSON object.")
    boolean json;

    private final Path root;
    private final PrintStream out;
    private final PrintStream err;

    public StackCommand(Path root, PrintStream out, PrintStream err) {
        this.root = root;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        CommandLine cl = spec.commandLine();
        require(cl, requests >= 1 && requests <= Integer.MAX_VALUE, "--requests must be in 1..2147483647");
        require(cl, movers >= 1, "--movers must be at least 1");
        require(cl, moverLimit >= 1, "--max-archive must be at least 1");
        require(cl, rate >= 0 && Double.isFinite(rate), "--rate must be a non-negative number");
        require(cl, batch >= 1 && batch <= 52, "--batch must be in 1..52");
        require(cl, fileSize >= 0, "--file-size must not be negative");
        require(cl, lustreMaxRequests >= 1, "--lustre-max-requests must be at least 1");
        require(cl, stallSeconds >= 1, "--stall-timeout must be at least 1");
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("coordinatool-bench.");
        boolean[] ok = new boolean[1];
        try {
            StackBench.run(new StackSettings(root, requests, movers, moverLimit, rate, batch, fileSize,
                    lustreMaxRequests, !noRedis, serverJavaOpts, stallSeconds, work, keep), result -> {
                        ok[0] = report(result);
                    });
        } catch (IOException e) {
            err.println("coordinatool-bench: " + e.getMessage());
            return 1;
        } finally {
            if (keep) {
                err.println("coordinatool-bench: logs and timings kept in " + work);
            }
        }
        return ok[0] ? 0 : 1;
    }

    private boolean report(StackResult result) throws IOException {
        if (json) {
            StackReport.json(result, out);
        } else {
            StackReport.table(result, out);
        }
        if (!result.ok()) {
            ReportParts.offences(err, result.offenders());
        }
        return result.ok();
    }
}
