package org.coordinatool.config;

import java.nio.file.Path;
import java.util.Optional;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.BadValue;

/** Typed reads of coordinatool values from a typesafe {@code Config}. */
final class ConfigValues {

    private ConfigValues() {
    }

    static String string(Config config, ConfigKey key) {
        return config.getString(key.path());
    }

    /** Empty text means "not set". */
    static Optional<String> optionalString(Config config, ConfigKey key) {
        String value = config.getString(key.path());
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** Empty text means "not set"; the value was checked to be a valid path when it was read. */
    static Optional<Path> optionalPath(Config config, ConfigKey key) {
        return optionalString(config, key).map(Path::of);
    }

    static LogLevel logLevel(Config config, ConfigKey key) {
        try {
            return ValueTypes.logLevel(config.getString(key.path()));
        } catch (InvalidValueException e) {
            throw new BadValue(config.getValue(key.path()).origin(), key.path(), e.getMessage(), e);
        }
    }
}
