package org.coordinatool.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

/**
 * Builds the configuration from its sources, lowest priority first: the defaults of
 * {@code reference.conf}, the configuration file, the {@code COORDINATOOL_*} environment
 * variables, then command-line options.
 *
 * <p>The file is the one given by the caller (the {@code -c/--config} option), else the one named
 * by {@code COORDINATOOL_CONF}, else the default file; only the default file may be absent.
 * Each side reads its own keys and the common ones, skips the other side's keys silently and
 * warns about keys known to neither.
 */
public final class ConfigLoader {

    /** Configuration file read when none is named. */
    public static final Path DEFAULT_FILE = Path.of("/etc/coordinatool.conf");

    private final Path defaultFile;
    private final Supplier<String> hostName;

    /**
     * @param defaultFile file read when none is named; it may be absent
     * @param hostName    source of the host name whose first label is the default
     *                    {@code client_id}; may throw {@link UncheckedIOException}
     */
    public ConfigLoader(Path defaultFile, Supplier<String> hostName) {
        this.defaultFile = Objects.requireNonNull(defaultFile, "defaultFile");
        this.hostName = Objects.requireNonNull(hostName, "hostName");
    }

    /** A loader for this machine: {@link #DEFAULT_FILE} and the kernel's host name. */
    public static ConfigLoader system() {
        return new ConfigLoader(DEFAULT_FILE, LocalHostName::read);
    }

    /**
     * The log level to use while loading: {@code COORDINATOOL_VERBOSE} applies before the file is
     * read so that the file's diagnostics can be seen (or silenced) with it.
     *
     * @throws ConfigException if the variable names no log level
     */
    public static LogLevel earlyLogLevel(Map<String, String> env) throws ConfigException {
        return EnvironmentVariables.earlyLogLevel(env);
    }

    /**
     * @param explicitFile file named on the command line, or null
     * @param env          the process environment (e.g. {@code System.getenv()})
     * @param options      command-line overrides: file key (see {@link ConfigKey#fileKey()}) to
     *                     raw values in command-line order; a repeatable key's values replace
     *                     the file's list, otherwise the last value wins; an empty list is ignored
     * @throws ConfigException          if a value is invalid or a named file cannot be read
     * @throws IllegalArgumentException if an option key is unknown or belongs to the other side
     */
    public LoadedConfig load(Side side, Path explicitFile, Map<String, String> env,
                             Map<String, List<String>> options) throws ConfigException {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(options, "options");
        // The original applies COORDINATOOL_VERBOSE before anything else, so its errors come first.
        earlyLogLevel(env);
        Diagnostics diagnostics = new Diagnostics();

        Layer fileLayer = new Layer(diagnostics);
        Optional<Path> file = readFile(side, chooseFile(explicitFile, env), fileLayer, diagnostics);
        Layer envLayer = new Layer(diagnostics);
        EnvironmentVariables.addTo(envLayer, side, env, diagnostics);
        Layer optionLayer = new Layer(diagnostics);
        addOptions(side, options, optionLayer);

        Config config = optionLayer.toConfig("command line")
                .withFallback(envLayer.toConfig("environment"))
                .withFallback(fileLayer.toConfig(file.map(Path::toString).orElse("no configuration file")))
                .withFallback(ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader()));
        checkTls(config, diagnostics);
        Settings settings;
        if (side == Side.SERVER) {
            checkServer(config, diagnostics);
            settings = ServerSettings.from(config);
        } else {
            config = withDefaultClientId(config);
            settings = ClientSettings.from(config);
        }
        return new LoadedConfig(side, file, config.resolve(), settings, diagnostics.all());
    }

    /** @param whyExplicit null for the default file, which alone may be missing */
    private record FileChoice(Path path, String whyExplicit) {
    }

    private FileChoice chooseFile(Path explicitFile, Map<String, String> env) throws ConfigException {
        if (explicitFile != null) {
            return new FileChoice(explicitFile, "given on the command line");
        }
        String fromEnv = env.get(EnvironmentVariables.CONF);
        if (fromEnv == null || fromEnv.isEmpty()) {
            return new FileChoice(defaultFile, null);
        }
        try {
            return new FileChoice(Path.of(fromEnv), "named by " + EnvironmentVariables.CONF);
        } catch (InvalidPathException e) {
            throw new ConfigException(new Origin.EnvironmentVariable(EnvironmentVariables.CONF).describe()
                    + ": invalid path '" + fromEnv + "': " + e.getReason(), e);
        }
    }

    private static Optional<Path> readFile(Side side, FileChoice choice, Layer layer, Diagnostics diagnostics)
            throws ConfigException {
        Path path = choice.path();
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            if (choice.whyExplicit() != null) {
                throw new ConfigException(path + ": configuration file not found (" + choice.whyExplicit() + ")", e);
            }
            diagnostics.info(path + ": no configuration file, using defaults");
            return Optional.empty();
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read configuration file: " + e, e);
        }
        for (ConfigFileParser.Line line : ConfigFileParser.parse(path, content, diagnostics)) {
            Origin origin = new Origin.FileLine(path, line.number());
            Optional<ConfigKey> key = ConfigKey.fromFileKey(line.key());
            if (key.isEmpty()) {
                diagnostics.warn(origin.describe() + ": unknown key '" + line.key() + "', line ignored");
            } else if (key.get().appliesTo(side)) {
                add(layer, key.get(), origin, line.value());
            }
        }
        return Optional.of(path);
    }

    private static void addOptions(Side side, Map<String, List<String>> options, Layer layer) throws ConfigException {
        Origin origin = new Origin.CommandLine();
        for (Map.Entry<String, List<String>> option : options.entrySet()) {
            ConfigKey key = ConfigKey.fromFileKey(option.getKey()).orElseThrow(
                    () -> new IllegalArgumentException("unknown configuration key '" + option.getKey() + "'"));
            if (!key.appliesTo(side)) {
                throw new IllegalArgumentException(key.fileKey() + " is not a " + side + " setting");
            }
            for (String raw : option.getValue()) {
                if (raw.isEmpty() && !key.type().acceptsEmpty()) {
                    throw ConfigException.at(origin.describe(), key.fileKey(), "empty value");
                }
                add(layer, key, origin, raw);
            }
        }
    }

    private static void add(Layer layer, ConfigKey key, Origin origin, String raw) throws ConfigException {
        try {
            layer.add(key, origin, raw);
        } catch (InvalidValueException e) {
            throw ConfigException.at(origin.describe(), key.fileKey(), e.getMessage());
        }
    }

    /** Checks that involve several keys, once every layer is merged. */
    private static void checkServer(Config config, Diagnostics diagnostics) throws ConfigException {
        long idle = config.getLong(ConfigKey.BATCH_ARCHIVES_SLICES_SEC.path() + ".idle");
        String slotsPath = ConfigKey.BATCH_ARCHIVES_SLOTS_PER_CLIENT.path();
        if (idle > 0 && config.getLong(slotsPath) == 0) {
            // Batching with no slot would hold back every archive forever.
            throw ConfigException.at(config.getValue(slotsPath).origin().description(),
                    ConfigKey.BATCH_ARCHIVES_SLOTS_PER_CLIENT.fileKey(),
                    "0 slots while batching is on (batch_archives_slices_sec idle " + idle
                            + "): no archive could ever be dispatched");
        }
        boolean dirSet = !config.getString(ConfigKey.REPORTING_DIR.path()).isEmpty();
        boolean hintSet = !config.getString(ConfigKey.REPORTING_HINT.path()).isEmpty();
        if (dirSet != hintSet) {
            ConfigKey set = dirSet ? ConfigKey.REPORTING_DIR : ConfigKey.REPORTING_HINT;
            ConfigKey missing = dirSet ? ConfigKey.REPORTING_HINT : ConfigKey.REPORTING_DIR;
            diagnostics.warn(config.getValue(set.path()).origin().description() + ": " + set.fileKey()
                    + ": reporting also needs " + missing.fileKey() + "; reporting disabled");
        }
    }

    /**
     * TLS files are unused while TLS is off. Whether the files that TLS needs are all there is
     * checked when the programs set TLS up, since each key may come from another source.
     */
    private static void checkTls(Config config, Diagnostics diagnostics) {
        boolean tls = config.getBoolean(ConfigKey.TLS.path());
        if (!tls) {
            for (ConfigKey k : List.of(ConfigKey.TLS_CERT, ConfigKey.TLS_CA)) {
                if (!config.getString(k.path()).isEmpty()) {
                    diagnostics.warn(config.getValue(k.path()).origin().description() + ": " + k.fileKey()
                            + ": unused while tls is off");
                }
            }
        }
    }

    private Config withDefaultClientId(Config config) throws ConfigException {
        if (config.hasPath(ConfigKey.CLIENT_ID.path())) {
            return config;
        }
        String name;
        try {
            name = hostName.get();
        } catch (UncheckedIOException e) {
            throw new ConfigException(ConfigKey.CLIENT_ID.fileKey() + ": not configured and the host name is unknown: "
                    + e.getMessage(), e);
        }
        int dot = name.indexOf('.');
        String shortName = dot < 0 ? name : name.substring(0, dot);
        if (shortName.isEmpty()) {
            throw new ConfigException(ConfigKey.CLIENT_ID.fileKey() + ": not configured and host name '" + name
                    + "' has no short form");
        }
        return config.withValue(ConfigKey.CLIENT_ID.path(), ConfigValueFactory.fromAnyRef(shortName, "short host name"));
    }
}
