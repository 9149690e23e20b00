package org.coordinatool.config;

import java.util.Objects;

import com.typesafe.config.Config;

/**
 * What agents and the command-line client read from the configuration. Limits and the buffer
 * size use {@link #UNLIMITED} for "no limit" (sent as -1 on the wire).
 *
 * @param clientId   id sent in EHLO; defaults to the short host name
 * @param halSize    receive buffer size, sent as {@code max_bytes}
 * @param security   TLS and the token sent in ehlo
 * @param agentMetrics the mover agent's Prometheus endpoint ({@code agent_metrics_host},
 *                   {@code agent_metrics_port}); the command-line client has none
 */
public record ClientSettings(
        String host,
        String port,
        LogLevel verbose,
        String clientId,
        long maxRestore,
        long maxArchive,
        long maxRemove,
        long halSize,
        ClientSecurity security,
        MetricsEndpoint agentMetrics) implements Settings {

    public static final long UNLIMITED = SizeLiteral.UNLIMITED;

    public ClientSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(verbose, "verbose");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(agentMetrics, "agentMetrics");
    }

    /** Reads the client settings from a {@code Config} holding every key, {@code client_id} included. */
    public static ClientSettings from(Config config) {
        return new ClientSettings(
                ConfigValues.string(config, ConfigKey.HOST),
                ConfigValues.string(config, ConfigKey.PORT),
                ConfigValues.logLevel(config, ConfigKey.VERBOSE),
                ConfigValues.string(config, ConfigKey.CLIENT_ID),
                config.getLong(ConfigKey.MAX_RESTORE.path()),
                config.getLong(ConfigKey.MAX_ARCHIVE.path()),
                config.getLong(ConfigKey.MAX_REMOVE.path()),
                config.getLong(ConfigKey.HAL_SIZE.path()),
                ClientSecurity.from(config),
                new MetricsEndpoint(ConfigValues.string(config, ConfigKey.AGENT_METRICS_HOST),
                        config.getInt(ConfigKey.AGENT_METRICS_PORT.path())));
    }
}
