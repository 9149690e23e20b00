package org.coordinatool.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.typesafe.config.Config;

/**
 * What the coordinator server reads from the configuration.
 *
 * @param archiveIds               archive ids to register with Lustre; empty = all
 * @param redisHost                empty when Redis is disabled
 * @param hostMappings             {@code archive_on_hosts} and {@code archive_on_hosts_ch} lines in
 *                                 order of appearance (the scheduler tries the last one first)
 * @param batchIdleSeconds         batching is on iff this is positive
 * @param batchMaxSeconds          0 = no maximum
 * @param slotsPerClient           always 0 when batching is off
 * @param reportingScheduleIntervalMs 0 disables reporting ticks
 * @param lustreapiLibrary         path of liblustreapi to load; empty = by soname
 * @param maxFrameBytes            largest JSON object accepted from a connection
 * @param security                 TLS, tokens and whether an unprotected port may face the network
 * @param limits                   what one connection may hold of the server's resources
 * @param metrics                  the Prometheus endpoint ({@code metrics_host}, {@code metrics_port})
 */
public record ServerSettings(
        String host,
        String port,
        LogLevel verbose,
        List<Integer> archiveIds,
        String redisHost,
        int redisPort,
        long clientGraceMs,
        List<HostMapping> hostMappings,
        long batchIdleSeconds,
        long batchMaxSeconds,
        int slotsPerClient,
        Optional<String> reportingDir,
        Optional<String> reportingHint,
        long reportingScheduleIntervalMs,
        String lustreapiLibrary,
        int maxFrameBytes,
        ServerSecurity security,
        ConnectionLimits limits,
        MetricsEndpoint metrics) implements Settings {

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(verbose, "verbose");
        archiveIds = List.copyOf(archiveIds);
        Objects.requireNonNull(redisHost, "redisHost");
        hostMappings = List.copyOf(hostMappings);
        Objects.requireNonNull(reportingDir, "reportingDir");
        Objects.requireNonNull(reportingHint, "reportingHint");
        Objects.requireNonNull(lustreapiLibrary, "lustreapiLibrary");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(metrics, "metrics");
        if (batchIdleSeconds == 0) {
            slotsPerClient = 0;
        }
    }

    /** Reads the server settings from a {@code Config} holding every key (e.g. with the reference defaults). */
    public static ServerSettings from(Config config) {
        Config batch = config.getConfig(ConfigKey.BATCH_ARCHIVES_SLICES_SEC.path());
        return new ServerSettings(
                ConfigValues.string(config, ConfigKey.HOST),
                ConfigValues.string(config, ConfigKey.PORT),
                ConfigValues.logLevel(config, ConfigKey.VERBOSE),
                config.getIntList(ConfigKey.ARCHIVE_ID.path()),
                ConfigValues.string(config, ConfigKey.REDIS_HOST),
                config.getInt(ConfigKey.REDIS_PORT.path()),
                config.getLong(ConfigKey.CLIENT_GRACE_MS.path()),
                hostMappings(config),
                batch.getLong("idle"),
                batch.getLong("max"),
                config.getInt(ConfigKey.BATCH_ARCHIVES_SLOTS_PER_CLIENT.path()),
                ConfigValues.optionalString(config, ConfigKey.REPORTING_DIR),
                ConfigValues.optionalString(config, ConfigKey.REPORTING_HINT),
                config.getLong(ConfigKey.REPORTING_SCHEDULE_INTERVAL_MS.path()),
                ConfigValues.string(config, ConfigKey.LUSTREAPI_LIBRARY),
                config.getInt(ConfigKey.MAX_FRAME_BYTES.path()),
                ServerSecurity.from(config),
                ConnectionLimits.from(config),
                new MetricsEndpoint(ConfigValues.string(config, ConfigKey.METRICS_HOST),
                        config.getInt(ConfigKey.METRICS_PORT.path())));
    }

    private static List<HostMapping> hostMappings(Config config) {
        List<HostMapping> mappings = new ArrayList<>();
        for (Config mapping : config.getConfigList(ConfigKey.ARCHIVE_ON_HOSTS.path())) {
            String tag = mapping.getString("tag");
            List<String> hosts = mapping.getStringList("hosts");
            mappings.add(mapping.hasPath("n")
                    ? new ConsistentHashMapping(tag, mapping.getInt("n"), hosts)
                    : new RandomHostMapping(tag, hosts));
        }
        return mappings;
    }

    public boolean redisEnabled() {
        return !redisHost.isEmpty();
    }

    public boolean batchingEnabled() {
        return batchIdleSeconds > 0;
    }

    /** Reporting needs both a directory and a hint key. */
    public boolean reportingEnabled() {
        return reportingDir.isPresent() && reportingHint.isPresent();
    }
}
