package org.coordinatool.config;

import java.util.List;
import java.util.Map;

/** The {@code COORDINATOOL_*} environment variables and the keys they override. */
final class EnvironmentVariables {

    /** Path of the configuration file when no path is given on the command line. */
    static final String CONF = "COORDINATOOL_CONF";

    private static final String VERBOSE = "COORDINATOOL_VERBOSE";

    /**
     * @param invalidIgnored the original logs and ignores an invalid value of these variables
     *                       instead of failing
     */
    private record Binding(String variable, ConfigKey key, boolean invalidIgnored) {
    }

    private static final List<Binding> BINDINGS = List.of(
            new Binding("COORDINATOOL_HOST", ConfigKey.HOST, false),
            new Binding("COORDINATOOL_PORT", ConfigKey.PORT, false),
            new Binding(VERBOSE, ConfigKey.VERBOSE, false),
            new Binding("COORDINATOOL_REDIS_HOST", ConfigKey.REDIS_HOST, false),
            new Binding("COORDINATOOL_REDIS_PORT", ConfigKey.REDIS_PORT, true),
            new Binding("COORDINATOOL_CLIENT_GRACE", ConfigKey.CLIENT_GRACE_MS, true),
            new Binding("COORDINATOOL_CLIENT_ID", ConfigKey.CLIENT_ID, false),
            new Binding("COORDINATOOL_MAX_RESTORE", ConfigKey.MAX_RESTORE, false),
            new Binding("COORDINATOOL_MAX_ARCHIVE", ConfigKey.MAX_ARCHIVE, false),
            new Binding("COORDINATOOL_MAX_REMOVE", ConfigKey.MAX_REMOVE, false),
            new Binding("COORDINATOOL_HAL_SIZE", ConfigKey.HAL_SIZE, false),

            new Binding("COORDINATOOL_TLS", ConfigKey.TLS, false),
            new Binding("COORDINATOOL_TLS_CERT", ConfigKey.TLS_CERT, false),
            new Binding("COORDINATOOL_TLS_KEY", ConfigKey.TLS_KEY, false),
            new Binding("COORDINATOOL_TLS_CA", ConfigKey.TLS_CA, false),
            new Binding("COORDINATOOL_AGENT_TOKEN_FILE", ConfigKey.AGENT_TOKEN_FILE, false),
            new Binding("COORDINATOOL_ADMIN_TOKEN_FILE", ConfigKey.ADMIN_TOKEN_FILE, false),
            new Binding("COORDINATOOL_ALLOW_INSECURE", ConfigKey.ALLOW_INSECURE, false),
            new Binding("COORDINATOOL_MAX_CONNECTIONS", ConfigKey.MAX_CONNECTIONS, false),
            new Binding("COORDINATOOL_MAX_PENDING_REPLIES", ConfigKey.MAX_PENDING_REPLIES, false),
            new Binding("COORDINATOOL_FRAME_TIMEOUT_MS", ConfigKey.FRAME_TIMEOUT_MS, false),
            new Binding("COORDINATOOL_TOKEN_FILE", ConfigKey.TOKEN_FILE, false),
            // monitoring
            new Binding("COORDINATOOL_METRICS_HOST", ConfigKey.METRICS_HOST, false),
            new Binding("COORDINATOOL_METRICS_PORT", ConfigKey.METRICS_PORT, false),
            new Binding("COORDINATOOL_AGENT_METRICS_HOST", ConfigKey.AGENT_METRICS_HOST, false),
            new Binding("COORDINATOOL_AGENT_METRICS_PORT", ConfigKey.AGENT_METRICS_PORT, false));

    private EnvironmentVariables() {
    }

    /** The level set by {@code COORDINATOOL_VERBOSE}, or the default {@link LogLevel#NORMAL}. */
    static LogLevel earlyLogLevel(Map<String, String> env) throws ConfigException {
        String raw = env.get(VERBOSE);
        if (raw == null || raw.isEmpty()) {
            return LogLevel.NORMAL;
        }
        try {
            return ValueTypes.logLevel(raw);
        } catch (InvalidValueException e) {
            throw ConfigException.at(new Origin.EnvironmentVariable(VERBOSE).describe(), ConfigKey.VERBOSE.fileKey(),
                    e.getMessage());
        }
    }

    /**
     * Adds the variables that concern {@code side} to {@code layer}. A variable set to the empty
     * string counts as unset (the usual meaning of {@code VAR=} in environment files), except
     * where empty is meaningful, such as {@code COORDINATOOL_REDIS_HOST=} disabling Redis.
     */
    static void addTo(Layer layer, Side side, Map<String, String> env, Diagnostics diagnostics)
            throws ConfigException {
        for (Binding binding : BINDINGS) {
            String raw = env.get(binding.variable());
            if (raw == null || !binding.key().appliesTo(side) || (raw.isEmpty() && !binding.key().type().acceptsEmpty())) {
                continue;
            }
            Origin origin = new Origin.EnvironmentVariable(binding.variable());
            try {
                layer.add(binding.key(), origin, raw);
            } catch (InvalidValueException e) {
                if (!binding.invalidIgnored()) {
                    throw ConfigException.at(origin.describe(), binding.key().fileKey(), e.getMessage());
                }
                diagnostics.about(origin, binding.key().fileKey()).warn(e.getMessage() + "; ignored");
            }
        }
    }
}
