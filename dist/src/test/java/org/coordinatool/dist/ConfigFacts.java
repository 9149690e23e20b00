package org.coordinatool.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coordinatool.config.ConfigException;
import org.coordinatool.config.ConfigKey;
import org.coordinatool.config.ConfigLoader;
import org.coordinatool.config.LoadedConfig;
import org.coordinatool.config.Side;
import org.coordinatool.coordinator.ServerMain;
import org.coordinatool.mover.Mover;
import picocli.CommandLine;

/**
 * What the documentation of the configuration must agree with, taken from the programs
 * themselves: the built-in defaults of {@code reference.conf}, the real loader's reading of a
 * value from a file or a variable, and the programs' options.
 */
final class ConfigFacts {

    private static final Config REFERENCE = ConfigFactory.defaultReference(ConfigKey.class.getClassLoader());
    private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

    private ConfigFacts() {
    }

    /** The side whose program reads {@code key} (the server for the common keys). */
    static Side side(ConfigKey key) {
        return key.appliesTo(Side.SERVER) ? Side.SERVER : Side.CLIENT;
    }

    /**
     * Whether the key's default is a value a file line can state: not empty, not computed at run
     * time (such as {@code client_id}'s host name).
     */
    static boolean hasStatedDefault(ConfigKey key) {
        if (!REFERENCE.hasPath(key.path())) {
            return false;
        }
        Object value = REFERENCE.getValue(key.path()).unwrapped();
        return !(value instanceof String s && s.isEmpty()) && !(value instanceof List<?> l && l.isEmpty());
    }

    /** The built-in default, rendered as typesafe-config renders it. */
    static String defaultValue(ConfigKey key) {
        return REFERENCE.getValue(key.path()).render(CONCISE);
    }

    /**
     * {@code key raw} read from a file by the real loader, rendered like {@link #defaultValue}.
     *
     * @throws ConfigException if the loader rejects the value
     */
    static String fileValue(ConfigKey key, String raw, Path scratch) throws IOException, ConfigException {
        Path file = Files.createTempFile(scratch, key.fileKey(), ".conf");
        Files.writeString(file, key.fileKey() + " " + raw + "\n");
        LoadedConfig loaded = new ConfigLoader(file, () -> "mover0.example").load(side(key), file, Map.of(),
                Map.of());
        ConfigValue value = loaded.config().getValue(key.path());
        assertTrue(value.origin().description().contains(file.toString()),
                key.fileKey() + " " + raw + ": the value in use does not come from the file but from "
                        + value.origin().description());
        return value.render(CONCISE);
    }

    /**
     * Checks that the variable sets {@code key}: with {@code variable=raw} in the environment, the
     * value in use comes from that variable.
     */
    static void assertVariableSets(String variable, ConfigKey key, String raw, Path scratch)
            throws IOException, ConfigException {
        Path empty = Files.createTempFile(scratch, "empty", ".conf");
        LoadedConfig loaded = new ConfigLoader(empty, () -> "mover0.example").load(side(key), empty,
                Map.of(variable, raw), Map.of());
        assertTrue(loaded.config().getValue(key.path()).origin().description().contains(variable),
                variable + "=" + raw + " does not set " + key.fileKey());
    }

    /** Whether the programs that read {@code key} all take the command-line option {@code name}. */
    static boolean optionExists(ConfigKey key, String name) {
        boolean found = true;
        if (key.appliesTo(Side.SERVER)) {
            found = new CommandLine(new ServerMain()).getCommandSpec().findOption(name) != null;
        }
        if (key.appliesTo(Side.CLIENT)) {
            found &= new CommandLine(new Mover()).getCommandSpec().findOption(name) != null;
        }
        return found;
    }
}
