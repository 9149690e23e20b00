package org.coordinatool.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.typesafe.config.Config;

/**
 * The result of {@link ConfigLoader#load}: the layered typesafe {@code Config}, the typed view for
 * the side it was loaded for, and the remarks made on the way.
 *
 * @param file        the configuration file that was read, empty if the default one is absent
 * @param config      every setting under {@value ConfigKey#ROOT}, each value's origin naming its source
 * @param settings    a {@link ServerSettings} or a {@link ClientSettings} according to {@code side}
 * @param diagnostics warnings and informational remarks, in the order they were made
 */
public record LoadedConfig(Side side, Optional<Path> file, Config config, Settings settings,
                           List<Diagnostic> diagnostics) {

    public LoadedConfig {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(settings, "settings");
        diagnostics = List.copyOf(diagnostics);
    }

    /** @throws IllegalStateException if loaded for the client */
    public ServerSettings server() {
        if (settings instanceof ServerSettings server) {
            return server;
        }
        throw new IllegalStateException("configuration was loaded for the " + side);
    }

    /** @throws IllegalStateException if loaded for the server */
    public ClientSettings client() {
        if (settings instanceof ClientSettings client) {
            return client;
        }
        throw new IllegalStateException("configuration was loaded for the " + side);
    }

    /** The messages of the {@link LogLevel#WARN} diagnostics. */
    public List<String> warnings() {
        return diagnostics.stream()
                .filter(diagnostic -> diagnostic.level() == LogLevel.WARN)
                .map(Diagnostic::message)
                .toList();
    }
}
