package org.coordinatool.mover;

import static org.coordinatool.config.OptionOverrides.put;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.coordinatool.config.ClientSettings;
import org.coordinatool.config.ConfigException;
import org.coordinatool.config.ConfigLoader;
import org.coordinatool.config.LoadedConfig;
import org.coordinatool.config.Side;
import org.coordinatool.coordinator.Logging;
import org.coordinatool.coordinator.Version;
import org.coordinatool.coordinator.cli.SecurityOptions;
import org.coordinatool.coordinator.client.ClientProtection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code coordinatool-mover [options] -- COPYTOOL_COMMAND...}: runs an unmodified Lustre copytool
 * with the preload shim and feeds it work from the coordinator.
 *
 * <p>One agent serves one copytool process. Several copytools on a host run under several agents,
 * each with its own client id ({@code -I}): the coordinator refuses a second connection with an id
 * already in use.
 *
 * <p>Exit status: 0 after TERM or INT once the copytool has stopped; 1 when start-up fails or the
 * copytool keeps crashing.
 */
@Command(name = "coordinatool-mover", sortOptions = false, usageHelpAutoWidth = true,
        description = "Runs a Lustre HSM copytool under the coordinatool preload library: the copytool's work"
                + " comes from the coordinator, which the agent talks to as an ordinary agent.")
public final class Mover {

    private static final Logger LOG = LoggerFactory.getLogger(Mover.class);

    /** Set by the launcher: the directory of bin/coordinatool-mover, to find the preload library. */
    static final String LAUNCHER_DIR_PROPERTY = "coordinatool.launcher.dir";
    static final String SHIM_NAME = "libcoordinatool_preload.so";

    @Option(names = {"-c", "--config"}, paramLabel = "PATH",
            description = "Configuration file (default: $COORDINATOOL_CONF, else /etc/coordinatool.conf).")
    private Path config;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Coordinator host.")
    private String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Coordinator port.")
    private String port;

    @Option(names = {"-I", "--client-id"}, paramLabel = "ID",
            description = "Id given to the coordinator (default: the short host name); unique per copytool.")
    private String clientId;

    @Mixin
    private SecurityOptions security = new SecurityOptions();

    @Option(names = "--max-archive", paramLabel = "N", description = "Archives running at once (-1: no limit).")
    private String maxArchive;

    @Option(names = "--max-restore", paramLabel = "N", description = "Restores running at once (-1: no limit).")
    private String maxRestore;

    @Option(names = "--max-remove", paramLabel = "N", description = "Removes running at once (-1: no limit).")
    private String maxRemove;

    @Option(names = "--hal-size", paramLabel = "SIZE",
            description = "Largest action list to ask for, in bytes (suffix k, M, G; default 1M).")
    private String halSize;

    @Option(names = "--metrics-host", paramLabel = "HOST",
            description = "Address of the agent's Prometheus endpoint (default localhost).")
    private String metricsHost;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Port of the agent's Prometheus endpoint, http://HOST:PORT/metrics (default 0: none).")
    private String metricsPort;

    @Option(names = {"-v", "--verbose"}, description = "More verbose logging (repeatable).")
    private boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "Less verbose logging (repeatable).")
    private boolean[] quiet = new boolean[0];

    @Option(names = "--shim", paramLabel = "PATH", description = "The preload library (default: " + SHIM_NAME
            + " in the distribution's lib/, else preload-shim/build/ of the source tree).")
    private Path shim;

    @Option(names = "--socket-dir", paramLabel = "DIR", description = "Where to create the private directory of"
            + " the copytool's socket (default: $RUNTIME_DIRECTORY, else $XDG_RUNTIME_DIR, else the temporary"
            + " directory).")
    private Path socketDir;

    @Option(names = "--restart-delay", paramLabel = "SECONDS", converter = SecondsConverter.class,
            description = "Pause before restarting a copytool that exited; doubles while it keeps exiting"
                    + " (default 1).")
    private Duration restartDelay = Duration.ofSeconds(1);

    @Option(names = "--max-restarts", paramLabel = "N",
            description = "Restarts allowed within the restart window; one more exit ends the agent (default 5).")
    private int maxRestarts = 5;

    @Option(names = "--restart-window", paramLabel = "SECONDS", converter = SecondsConverter.class,
            description = "Window in which copytool exits are counted (default 60).")
    private Duration restartWindow = Duration.ofSeconds(60);

    @Option(names = "--stop-timeout", paramLabel = "SECONDS", converter = SecondsConverter.class,
            description = "On TERM/INT, how long running transfers may take to finish before the copytool is"
                    + " stopped anyway (default 60).")
    private Duration stopTimeout = Duration.ofSeconds(60);

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    private boolean versionRequested;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    private boolean helpRequested;

    @Parameters(paramLabel = "COPYTOOL_COMMAND", arity = "0..*",
            description = "The copytool and its arguments, after --.")
    private List<String> command = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the agent until it finishes; returns the exit status. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Mover options = new Mover();
        CommandLine cli = new CommandLine(options);
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("coordinatool-mover: " + e.getMessage() + " (see --help)");
            return 1;
        }
        if (options.helpRequested) {
            cli.usage(out);
            return 0;
        }
        if (options.versionRequested) {
            out.println("coordinatool-mover version " + Version.text());
            return 0;
        }
        MoverSettings settings;
        try {
            settings = options.settings(env);
        } catch (ConfigException | IllegalArgumentException | IOException e) {
            err.println("coordinatool-mover: " + e.getMessage());
            return 1;
        }
        LOG.info("coordinatool-mover {} starting as {} for the coordinator at {}:{}", Version.text(),
                settings.client().clientId(), settings.client().host(), settings.client().port());
        MoverAgent agent;
        try {
            agent = MoverAgent.start(settings);
        } catch (IOException e) {
            err.println("coordinatool-mover: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> onSignal(agent, settings), "signal-termination"));
        return agent.exit().join();
    }

    /**
     * TERM and INT (the JVM turns them into shutdown): stop in order, then leave with the agent's
     * status rather than the JVM's 128+signal. When the agent has already finished, this returns at once.
     */
    private static void onSignal(MoverAgent agent, MoverSettings settings) {
        agent.requestStop();
        Duration bound = settings.stopTimeout().plus(MoverAgent.EXIT_GRACE.multipliedBy(2))
                .plus(MoverAgent.FLUSH_TIMEOUT).plusSeconds(10);
        int status;
        try {
            status = agent.exit().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.error("the agent did not finish within {} s, exiting anyway", bound.toSeconds());
            status = 1;
        } catch (Exception e) {
            status = 1;
        }
        Runtime.getRuntime().halt(status);
    }

    private MoverSettings settings(Map<String, String> env) throws ConfigException, IOException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no copytool command given (coordinatool-mover [options] --"
                    + " COPYTOOL_COMMAND...)");
        }
        int shift = verbose.length - quiet.length;
        Logging.apply(ConfigLoader.earlyLogLevel(env).shifted(shift));
        LoadedConfig loaded = ConfigLoader.system().load(Side.CLIENT, config, env, overrides());
        ClientSettings client = loaded.client();
        Logging.apply(client.verbose().shifted(shift));
        loaded.warnings().forEach(w -> LOG.warn("{}", w));
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("--max-restarts must not be negative");
        }
        if (restartWindow.isZero()) {
            throw new IllegalArgumentException("--restart-window must be positive");
        }
        return new MoverSettings(client, ClientProtection.load(client.security()), command, shimLibrary(), socketParent(env), restartDelay, maxRestarts,
                restartWindow, stopTimeout);
    }

    private Map<String, List<String>> overrides() {
        Map<String, List<String>> o = new LinkedHashMap<>();
        put(o, "host", host);
        put(o, "port", port);
        put(o, "client_id", clientId);
        put(o, "max_archive", maxArchive);
        put(o, "max_restore", maxRestore);
        put(o, "max_remove", maxRemove);
        put(o, "hal_size", halSize);
        put(o, "agent_metrics_host", metricsHost);
        put(o, "agent_metrics_port", metricsPort);
        security.addTo(o);
        return o;
    }

    private Path shimLibrary() throws IOException {
        if (shim != null) {
            Path p = shim.toAbsolutePath();
            if (!Files.isRegularFile(p)) {
                throw new IOException("preload library " + p + " not found");
            }
            return p;
        }
        String launcher = System.getProperty(LAUNCHER_DIR_PROPERTY);
        if (launcher == null) {
            throw new IOException("no preload library given: use --shim PATH");
        }
        Path bin = Path.of(launcher).toAbsolutePath();
        List<Path> candidates = List.of(bin.resolve("../lib").resolve(SHIM_NAME).normalize(),
                bin.resolve("../../preload-shim/build").resolve(SHIM_NAME).normalize());
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("preload library not found (looked for " + candidates.get(0) + " and "
                + candidates.get(1) + "); build it with 'make -C preload-shim' or give --shim PATH");
    }

    private Path socketParent(Map<String, String> env) throws IOException {
        Path dir = socketDir;
        if (dir == null) {
            for (String var : List.of("RUNTIME_DIRECTORY", "XDG_RUNTIME_DIR")) {
                String v = env.get(var);
                if (v != null && !v.isEmpty()) {
                    dir = Path.of(v);
                    break;
                }
            }
        }
        if (dir == null) {
            dir = Path.of(System.getProperty("java.io.tmpdir"));
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("socket directory " + dir + " does not exist");
        }
        return dir;
    }

    /** Seconds, fractions allowed ("0.5"), not negative. */
    static final class SecondsConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            BigDecimal seconds;
            try {
                seconds = new BigDecimal(value.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a number of seconds");
            }
            if (seconds.signum() < 0) {
                throw new CommandLine.TypeConversionException("'" + value + "' is negative");
            }
            try {
                return Duration.ofNanos(seconds.movePointRight(9).setScale(0, java.math.RoundingMode.DOWN)
                        .longValueExact());
            } catch (ArithmeticException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is too large");
            }
        }
    }
}
