package org.coordinatool.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every key of the configuration file, the program(s) that read it, its value syntax and where
 * it lands in the typesafe {@code Config} (under {@value #ROOT}).
 */
public enum ConfigKey {
    HOST("host", Scope.COMMON, ValueTypes.TEXT),
    PORT("port", Scope.COMMON, ValueTypes.PORT),
    VERBOSE("verbose", Scope.COMMON, ValueTypes.LOG_LEVEL),

    ARCHIVE_ID("archive_id", Scope.SERVER, ValueTypes.integer(1, ValueTypes.INT_MAX), "archive_id", 32),
    REDIS_HOST("redis_host", Scope.SERVER, ValueTypes.OPTIONAL_TEXT),
    REDIS_PORT("redis_port", Scope.SERVER, ValueTypes.integer(0, 65535)),
    CLIENT_GRACE_MS("client_grace_ms", Scope.SERVER, ValueTypes.integer(0, ValueTypes.INT_MAX)),
    /*
     * Both mapping kinds share one list because the scheduler tries mappings in reverse order
     * of appearance across kinds; separate lists would lose that order.
     */
    ARCHIVE_ON_HOSTS("archive_on_hosts", Scope.SERVER, ValueTypes.RANDOM_HOST_MAPPING, "host_mappings",
            Integer.MAX_VALUE),
    ARCHIVE_ON_HOSTS_CH("archive_on_hosts_ch", Scope.SERVER, ValueTypes.CONSISTENT_HASH_MAPPING, "host_mappings",
            Integer.MAX_VALUE),
    BATCH_ARCHIVES_SLICES_SEC("batch_archives_slices_sec", Scope.SERVER, ValueTypes.BATCH_SLICES),
    /* Slots are per-client arrays; the bound keeps a typo from exhausting memory. */
    BATCH_ARCHIVES_SLOTS_PER_CLIENT("batch_archives_slots_per_client", Scope.SERVER, ValueTypes.integer(0, 1024)),
    REPORTING_DIR("reporting_dir", Scope.SERVER, ValueTypes.OPTIONAL_TEXT),
    REPORTING_HINT("reporting_hint", Scope.SERVER, ValueTypes.OPTIONAL_TEXT),
    REPORTING_SCHEDULE_INTERVAL_MS("reporting_schedule_interval_ms", Scope.SERVER,
            ValueTypes.integer(0, ValueTypes.INT_MAX)),
    LUSTREAPI_LIBRARY("lustreapi_library", Scope.SERVER, ValueTypes.OPTIONAL_TEXT),
    MAX_FRAME_BYTES("max_frame_bytes", Scope.SERVER, ValueTypes.FRAME_SIZE),

    /* Transport security, authentication and connection limits. */
    TLS("tls", Scope.COMMON, ValueTypes.SWITCH),
    TLS_CERT("tls_cert", Scope.COMMON, ValueTypes.OPTIONAL_PATH),
    TLS_KEY("tls_key", Scope.COMMON, ValueTypes.OPTIONAL_PATH),
    TLS_CA("tls_ca", Scope.COMMON, ValueTypes.OPTIONAL_PATH),
    AGENT_TOKEN_FILE("agent_token_file", Scope.SERVER, ValueTypes.OPTIONAL_PATH),
    ADMIN_TOKEN_FILE("admin_token_file", Scope.SERVER, ValueTypes.OPTIONAL_PATH),
    ALLOW_INSECURE("allow_insecure", Scope.SERVER, ValueTypes.SWITCH),
    MAX_CONNECTIONS("max_connections", Scope.SERVER, ValueTypes.integer(1, ValueTypes.INT_MAX)),
    MAX_PENDING_REPLIES("max_pending_replies", Scope.SERVER, ValueTypes.integer(1, ValueTypes.INT_MAX)),
    FRAME_TIMEOUT_MS("frame_timeout_ms", Scope.SERVER, ValueTypes.integer(1, ValueTypes.INT_MAX)),
    TOKEN_FILE("token_file", Scope.CLIENT, ValueTypes.OPTIONAL_PATH),

    /* Monitoring: the Prometheus endpoints of the server and of mover agents. */
    METRICS_HOST("metrics_host", Scope.SERVER, ValueTypes.TEXT),
    METRICS_PORT("metrics_port", Scope.SERVER, ValueTypes.integer(0, 65535)),
    /* Read by coordinatool-mover; the command-line client has no endpoint and ignores them. */
    AGENT_METRICS_HOST("agent_metrics_host", Scope.CLIENT, ValueTypes.TEXT),
    AGENT_METRICS_PORT("agent_metrics_port", Scope.CLIENT, ValueTypes.integer(0, 65535)),

    CLIENT_ID("client_id", Scope.CLIENT, ValueTypes.TEXT),
    MAX_RESTORE("max_restore", Scope.CLIENT, ValueTypes.SIZE),
    MAX_ARCHIVE("max_archive", Scope.CLIENT, ValueTypes.SIZE),
    MAX_REMOVE("max_remove", Scope.CLIENT, ValueTypes.SIZE),
    HAL_SIZE("hal_size", Scope.CLIENT, ValueTypes.SIZE);

    /** Root object of every coordinatool setting in the typesafe {@code Config}. */
    public static final String ROOT = "coordinatool";

    private enum Scope {
        COMMON, SERVER, CLIENT;

        boolean includes(Side side) {
            return this == COMMON || (this == SERVER) == (side == Side.SERVER);
        }
    }

    private static final Map<String, ConfigKey> BY_FILE_KEY = new HashMap<>();

    static {
        for (ConfigKey key : values()) {
            BY_FILE_KEY.put(key.fileKey, key);
        }
    }

    private final String fileKey;
    private final Scope scope;
    private final ValueType type;
    private final String path;
    private final int maxCount;

    ConfigKey(String fileKey, Scope scope, ValueType type) {
        this(fileKey, scope, type, fileKey, 1);
    }

    /** @param maxCount more than 1 makes the key repeatable: its values accumulate in a list */
    ConfigKey(String fileKey, Scope scope, ValueType type, String path, int maxCount) {
        this.fileKey = fileKey;
        this.scope = scope;
        this.type = type;
        this.path = ROOT + "." + path;
        this.maxCount = maxCount;
    }

    /** The key as written in the file (lowercase) and as used in option maps. */
    public String fileKey() {
        return fileKey;
    }

    /** Path of the value in the typesafe {@code Config}. */
    public String path() {
        return path;
    }

    public boolean appliesTo(Side side) {
        return scope.includes(side);
    }

    public boolean repeatable() {
        return maxCount > 1;
    }

    /** Looks a key up case-insensitively. */
    public static Optional<ConfigKey> fromFileKey(String key) {
        return Optional.ofNullable(BY_FILE_KEY.get(key.toLowerCase(Locale.ROOT)));
    }

    ValueType type() {
        return type;
    }

    int maxCount() {
        return maxCount;
    }
}
