package org.coordinatool.coordinator;

import static org.coordinatool.config.OptionOverrides.put;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coordinatool.config.ConfigException;
import org.coordinatool.config.ConfigLoader;
import org.coordinatool.config.LoadedConfig;
import org.coordinatool.config.ServerSettings;
import org.coordinatool.config.Side;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lhsmd_coordinatool [options] MOUNTPOINT}: the coordinator server.
 *
 * <p>Exit status: 0 after TERM, INT or QUIT and after lock-and-quit; 1 when start-up fails, with
 * a one-line reason on standard error.
 */
@Command(name = "lhsmd_coordinatool", sortOptions = false, usageHelpAutoWidth = true,
        description = "Lustre HSM coordinator in userspace: receives every HSM request of the filesystem"
                + " mounted at MOUNTPOINT and hands them out to agents.")
public final class ServerMain {

    private static final Logger LOG = LoggerFactory.getLogger(ServerMain.class);

    @Option(names = {"-v", "--verbose"}, description = "More verbose logging (repeatable).")
    private boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "Less verbose logging (repeatable).")
    private boolean[] quiet = new boolean[0];

    @Option(names = {"-c", "--config"}, paramLabel = "PATH",
            description = "Configuration file (default: $COORDINATOOL_CONF, else /etc/coordinatool.conf).")
    private Path config;

    @Option(names = {"-A", "--archive"}, paramLabel = "ID",
            description = "Archive id to register (repeatable, 1..2^31-1, at most 32; replaces the file's;"
                    + " default: all archives).")
    private List<String> archives = new ArrayList<>();

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port to listen on (default 5123).")
    private String port;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Address to listen on.")
    private String host;

    @Option(names = "--redis-host", paramLabel = "HOST",
            description = "Redis host (default localhost; empty: no Redis, memory only).")
    private String redisHost;

    @Option(names = "--redis-port", paramLabel = "PORT", description = "Redis port (default 6379).")
    private String redisPort;

    @Option(names = "--client-grace", paramLabel = "MS",
            description = "How long a disconnected agent's work is kept for it, in ms (default 600000).")
    private String clientGrace;

    @Option(names = "--metrics-host", paramLabel = "HOST",
            description = "Address of the Prometheus endpoint (default localhost).")
    private String metricsHost;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Port of the Prometheus endpoint, http://HOST:PORT/metrics (default 5124; 0: none).")
    private String metricsPort;

    @Option(names = "--lustreapi", paramLabel = "PATH",
            description = "liblustreapi to load (default: found by the dynamic loader).")
    private String lustreapi;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    private boolean versionRequested;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    private boolean helpRequested;

    @Parameters(paramLabel = "MOUNTPOINT", arity = "0..*", description = "Lustre mount point.")
    private List<String> positional = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the server until it terminates; returns the exit status. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        ServerMain options = new ServerMain();
        CommandLine cli = new CommandLine(options);
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("lhsmd_coordinatool: " + e.getMessage() + " (see --help)");
            return 1;
        }
        if (options.helpRequested) {
            cli.usage(out);
            return 0;
        }
        if (options.versionRequested) {
            out.println("Coordinatool version " + Version.text());
            return 0;
        }
        if (options.positional.isEmpty()) {
            err.println("lhsmd_coordinatool: no mount point specified");
            return 1;
        }
        if (options.positional.size() > 1) {
            err.println("lhsmd_coordinatool: extra argument specified: " + options.positional.get(1));
            return 1;
        }
        ServerSettings settings;
        try {
            Logging.apply(ConfigLoader.earlyLogLevel(env).shifted(options.verbosityShift()));
            LoadedConfig loaded = ConfigLoader.system().load(Side.SERVER, options.config, env, options.overrides());
            settings = loaded.server();
            Logging.apply(settings.verbose().shifted(options.verbosityShift()));
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("lhsmd_coordinatool: " + e.getMessage());
            return 1;
        }
        Server server = new Server(settings, options.positional.get(0));
        int status;
        try {
            server.start();
            status = server.awaitTermination();
        } catch (Server.StartupException e) {
            LOG.debug("start-up failed", e);
            server.stop();
            err.println("lhsmd_coordinatool: " + e.getMessage());
            status = 1;
        } catch (RuntimeException e) {
            // A bug rather than a bad environment: keep the trace, and do not leave threads running.
            LOG.error("start-up failed", e);
            server.stop();
            err.println("lhsmd_coordinatool: start-up failed: " + e);
            status = 1;
        }
        server.finish(status);
        return status;
    }

    private int verbosityShift() {
        return verbose.length - quiet.length;
    }

    /** Command-line values by configuration key; they override the file and the environment. */
    private Map<String, List<String>> overrides() {
        Map<String, List<String>> o = new LinkedHashMap<>();
        put(o, "host", host);
        put(o, "port", port);
        put(o, "redis_host", redisHost);
        put(o, "redis_port", redisPort);
        put(o, "client_grace_ms", clientGrace);
        put(o, "lustreapi_library", lustreapi);
        put(o, "metrics_host", metricsHost);
        put(o, "metrics_port", metricsPort);
        if (!archives.isEmpty()) {
            o.put("archive_id", List.copyOf(archives));
        }
        return o;
    }
}
