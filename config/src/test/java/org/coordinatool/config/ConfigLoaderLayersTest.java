package org.coordinatool.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sources, their priority, and environment and option handling. */
class ConfigLoaderLayersTest {

    @TempDir
    Path dir;

    private Path defaultFile() {
        return dir.resolve("default.conf");
    }

    private ConfigLoader loader() {
        return new ConfigLoader(defaultFile(), () -> "mover7.example.com");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private LoadedConfig load(Side side, Path file, Map<String, String> env, Map<String, List<String>> options)
            throws ConfigException {
        return loader().load(side, file, env, options);
    }

    @Test
    void eachLayerOverridesTheOneBelow() throws Exception {
        Path file = write("c.conf", "host from-file\nport 1000\nverbose info\nredis_host file-db\nredis_port 1\n");
        Map<String, String> env = Map.of("COORDINATOOL_PORT", "2000", "COORDINATOOL_VERBOSE", "debug",
                "COORDINATOOL_REDIS_PORT", "2");
        Map<String, List<String>> options = Map.of("verbose", List.of("warn"), "redis_port", List.of("3"));
        ServerSettings server = load(Side.SERVER, file, env, options).server();
        assertEquals("from-file", server.host());
        assertEquals("2000", server.port());
        assertEquals(LogLevel.WARN, server.verbose());
        assertEquals("file-db", server.redisHost());
        assertEquals(3, server.redisPort());
        assertEquals(600000, server.clientGraceMs());
    }

    @Test
    void everyServerVariableOverridesTheFile() throws Exception {
        Path file = write("c.conf", "host a\nport 1\nverbose off\nredis_host db\nredis_port 1\nclient_grace_ms 1\n");
        ServerSettings server = load(Side.SERVER, file, Map.of(
                "COORDINATOOL_HOST", "b",
                "COORDINATOOL_PORT", "2",
                "COORDINATOOL_VERBOSE", "DEBUG",
                "COORDINATOOL_REDIS_HOST", "db2",
                "COORDINATOOL_REDIS_PORT", "0x10",
                "COORDINATOOL_CLIENT_GRACE", "2000"), Map.of()).server();
        assertEquals(List.of("b", "2", LogLevel.DEBUG, "db2", 16, 2000L),
                List.of(server.host(), server.port(), server.verbose(), server.redisHost(), server.redisPort(),
                        server.clientGraceMs()));
    }

    @Test
    void everyClientVariableOverridesTheFile() throws Exception {
        Path file = write("c.conf", "host a\nport 1\nclient_id f\nmax_restore 1\nmax_archive 1\nmax_remove 1\nhal_size 1\n");
        ClientSettings client = load(Side.CLIENT, file, Map.of(
                "COORDINATOOL_HOST", "b",
                "COORDINATOOL_PORT", "2",
                "COORDINATOOL_VERBOSE", "error",
                "COORDINATOOL_CLIENT_ID", "agent_3",
                "COORDINATOOL_MAX_RESTORE", "-1",
                "COORDINATOOL_MAX_ARCHIVE", "2k",
                "COORDINATOOL_MAX_REMOVE", "  010",
                "COORDINATOOL_HAL_SIZE", "4M"), Map.of()).client();
        assertEquals(new ClientSettings("b", "2", LogLevel.ERROR, "agent_3", -1, 2048, 8, 4 << 20,
                ClientSecurity.NONE, new MetricsEndpoint("localhost", 0)), client);
    }

    @Test
    void metricsVariablesOverrideTheFile() throws Exception {
        Path file = write("c.conf", "metrics_host a\nmetrics_port 1\nagent_metrics_host b\nagent_metrics_port 2\n");
        Map<String, String> env = Map.of("COORDINATOOL_METRICS_HOST", "0.0.0.0", "COORDINATOOL_METRICS_PORT", "9100",
                "COORDINATOOL_AGENT_METRICS_HOST", "::1", "COORDINATOOL_AGENT_METRICS_PORT", "9101");
        assertEquals(new MetricsEndpoint("0.0.0.0", 9100), load(Side.SERVER, file, env, Map.of()).server().metrics());
        assertEquals(new MetricsEndpoint("::1", 9101), load(Side.CLIENT, file, env, Map.of()).client().agentMetrics());
    }

    @Test
    void metricsPortsAreCheckedWhereverTheyComeFrom() {
        ConfigException env = assertThrows(ConfigException.class, () -> load(Side.SERVER, null,
                Map.of("COORDINATOOL_METRICS_PORT", "65536"), Map.of()));
        assertEquals("environment variable COORDINATOOL_METRICS_PORT: metrics_port: value 65536 out of range 0..65535",
                env.getMessage());
        ConfigException option = assertThrows(ConfigException.class, () -> load(Side.CLIENT, null, Map.of(),
                Map.of("agent_metrics_port", List.of("http"))));
        assertTrue(option.getMessage().startsWith("command line: agent_metrics_port: "), option.getMessage());
    }

    @Test
    void agentMetricsKeysAreForClientsAndServerKeysForTheServer() throws Exception {
        Path file = write("c.conf", "metrics_port 7000\nagent_metrics_port 7001\n");
        assertEquals(new MetricsEndpoint("localhost", 7000), load(Side.SERVER, file, Map.of(), Map.of()).server().metrics());
        assertEquals(new MetricsEndpoint("localhost", 7001),
                load(Side.CLIENT, file, Map.of(), Map.of()).client().agentMetrics());
        assertThrows(IllegalArgumentException.class,
                () -> load(Side.SERVER, null, Map.of(), Map.of("agent_metrics_port", List.of("1"))));
        assertThrows(IllegalArgumentException.class,
                () -> load(Side.CLIENT, null, Map.of(), Map.of("metrics_port", List.of("1"))));
    }

    @Test
    void optionsOverrideEverything() throws Exception {
        Path file = write("c.conf", "host a\nclient_grace_ms 1\nredis_host db\n");
        Map<String, List<String>> options = new LinkedHashMap<>();
        options.put("host", List.of("opt-host"));
        options.put("port", List.of("1", "2"));
        options.put("client_grace_ms", List.of("0"));
        options.put("redis_host", List.of(""));
        options.put("Lustreapi_Library", List.of("/lib/liblustreapi.so.1"));
        ServerSettings server = load(Side.SERVER, file,
                Map.of("COORDINATOOL_HOST", "env-host", "COORDINATOOL_CLIENT_GRACE", "5"), options).server();
        assertEquals("opt-host", server.host());
        assertEquals("2", server.port());
        assertEquals(0, server.clientGraceMs());
        assertEquals("", server.redisHost());
        assertFalse(server.redisEnabled());
        assertEquals("/lib/liblustreapi.so.1", server.lustreapiLibrary());
    }

    @Test
    void archiveIdOptionsReplaceTheFileList() throws Exception {
        Path file = write("c.conf", "archive_id 1\narchive_id 2\n");
        assertEquals(List.of(1, 2), load(Side.SERVER, file, Map.of(), Map.of()).server().archiveIds());
        assertEquals(List.of(5, 3), load(Side.SERVER, file, Map.of(), Map.of("archive_id", List.of("5", "3")))
                .server().archiveIds());
    }

    @Test
    void anEmptyOptionListChangesNothing() throws Exception {
        Path file = write("c.conf", "archive_id 1\n");
        assertEquals(List.of(1), load(Side.SERVER, file, Map.of(), Map.of("archive_id", List.of())).server().archiveIds());
    }

    @Test
    void hostMappingOptionsReplaceTheFileMappings() throws Exception {
        Path file = write("c.conf", "archive_on_hosts a= x\n");
        ServerSettings server = load(Side.SERVER, file, Map.of(),
                Map.of("archive_on_hosts_ch", List.of("g= 2 h1 h2"))).server();
        assertEquals(List.of(new ConsistentHashMapping("g=", 2, List.of("h1", "h2"))), server.hostMappings());
    }

    @Test
    void optionErrorsNameTheCommandLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Side.SERVER, null, Map.of(), Map.of("redis_port", List.of("70000"))));
        assertEquals("command line: redis_port: value 70000 out of range 0..65535", e.getMessage());
        ConfigException many = assertThrows(ConfigException.class, () -> load(Side.SERVER, null, Map.of(),
                Map.of("archive_id", IntStream.rangeClosed(1, 33).mapToObj(Integer::toString).toList())));
        assertEquals("command line: archive_id: more than 32 values", many.getMessage());
    }

    @Test
    void emptyOptionValuesAreErrorsWhereEmptyMeansNothing() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Side.CLIENT, null, Map.of(), Map.of("host", List.of(""))));
        assertEquals("command line: host: empty value", e.getMessage());
    }

    @Test
    void unknownOrForeignOptionKeysAreProgrammingErrors() {
        assertThrows(IllegalArgumentException.class,
                () -> load(Side.SERVER, null, Map.of(), Map.of("colour", List.of("x"))));
        assertThrows(IllegalArgumentException.class,
                () -> load(Side.CLIENT, null, Map.of(), Map.of("redis_port", List.of("1"))));
        assertThrows(IllegalArgumentException.class,
                () -> load(Side.SERVER, null, Map.of(), Map.of("hal_size", List.of("1"))));
    }

    @Test
    void missingDefaultFileMeansDefaults() throws Exception {
        LoadedConfig loaded = load(Side.SERVER, null, Map.of(), Map.of());
        assertEquals(Optional.empty(), loaded.file());
        assertEquals("coordinatool", loaded.server().host());
        assertEquals(List.of(new Diagnostic(LogLevel.INFO, defaultFile() + ": no configuration file, using defaults")),
                loaded.diagnostics());
    }

    @Test
    void presentDefaultFileIsRead() throws Exception {
        Files.writeString(defaultFile(), "host from-default\n");
        LoadedConfig loaded = load(Side.CLIENT, null, Map.of(), Map.of());
        assertEquals(Optional.of(defaultFile()), loaded.file());
        assertEquals("from-default", loaded.client().host());
    }

    @Test
    void missingExplicitFileIsAnError() throws IOException {
        Files.writeString(defaultFile(), "host from-default\n");
        Path missing = dir.resolve("missing.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> load(Side.SERVER, missing, Map.of(), Map.of()));
        assertEquals(missing + ": configuration file not found (given on the command line)", e.getMessage());
    }

    @Test
    void missingFileNamedByTheEnvironmentIsAnError() {
        Path missing = dir.resolve("missing.conf");
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Side.CLIENT, null, Map.of("COORDINATOOL_CONF", missing.toString()), Map.of()));
        assertEquals(missing + ": configuration file not found (named by COORDINATOOL_CONF)", e.getMessage());
    }

    @Test
    void unreadableFileIsAnErrorEvenAtTheDefaultPath() throws IOException {
        Files.createDirectory(defaultFile());
        ConfigException e = assertThrows(ConfigException.class, () -> load(Side.SERVER, null, Map.of(), Map.of()));
        assertTrue(e.getMessage().startsWith(defaultFile() + ": cannot read configuration file: "), e.getMessage());
    }

    @Test
    void environmentNamesTheFileUnlessTheCommandLineDoes() throws Exception {
        Files.writeString(defaultFile(), "host from-default\n");
        Path fromEnv = write("env.conf", "host from-env-file\n");
        Path explicit = write("explicit.conf", "host from-explicit\n");
        Map<String, String> env = Map.of("COORDINATOOL_CONF", fromEnv.toString());
        assertEquals("from-env-file", load(Side.SERVER, null, env, Map.of()).server().host());
        assertEquals("from-explicit", load(Side.SERVER, explicit, env, Map.of()).server().host());
        assertEquals("from-default", load(Side.SERVER, null, Map.of("COORDINATOOL_CONF", ""), Map.of()).server().host());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "SERVER|COORDINATOOL_VERBOSE|chatty|verbose: invalid log level 'chatty' (expected one of off, fatal, error, warn, normal, info, debug)",
            "SERVER|COORDINATOOL_PORT|70000|port: value 70000 out of range 0..65535",
            "CLIENT|COORDINATOOL_MAX_RESTORE|lots|max_restore: 'lots' is not a number",
            "CLIENT|COORDINATOOL_MAX_ARCHIVE|-2|max_archive: value -2 out of range 0..4294967295",
            "CLIENT|COORDINATOOL_MAX_REMOVE|\"1 \"|max_remove: '1 ' is not a size (unexpected ' '; suffixes are k, m, g)",
            "CLIENT|COORDINATOOL_HAL_SIZE|8G|hal_size: value 8589934592 out of range 0..4294967295",
    })
    void environmentValueErrorsNameTheVariable(Side side, String variable, String value, String message) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(side, null, Map.of(variable, value), Map.of()));
        assertEquals("environment variable " + variable + ": " + message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "COORDINATOOL_REDIS_PORT|x|redis_port: 'x' is not a number; ignored",
            "COORDINATOOL_REDIS_PORT|-1|redis_port: value -1 out of range 0..65535; ignored",
            "COORDINATOOL_REDIS_PORT|70000|redis_port: value 70000 out of range 0..65535; ignored",
            "COORDINATOOL_CLIENT_GRACE|10s|client_grace_ms: '10s' is not a number (unexpected 's'); ignored",
            "COORDINATOOL_CLIENT_GRACE|-1|client_grace_ms: value -1 out of range 0..2147483647; ignored",
    })
    void invalidRedisPortOrGraceInTheEnvironmentIsLoggedAndIgnored(String variable, String value, String message)
            throws Exception {
        Path file = write("c.conf", "redis_port 7000\nclient_grace_ms 3000\n");
        LoadedConfig loaded = load(Side.SERVER, file, Map.of(variable, value), Map.of());
        assertEquals(7000, loaded.server().redisPort());
        assertEquals(3000, loaded.server().clientGraceMs());
        assertEquals(List.of("environment variable " + variable + ": " + message), loaded.warnings());
    }

    @Test
    void emptyRedisHostVariableDisablesRedis() throws Exception {
        Path file = write("c.conf", "redis_host db\n");
        ServerSettings server = load(Side.SERVER, file, Map.of("COORDINATOOL_REDIS_HOST", ""), Map.of()).server();
        assertEquals("", server.redisHost());
        assertFalse(server.redisEnabled());
    }

    @Test
    void otherEmptyVariablesCountAsUnset() throws Exception {
        Path file = write("c.conf", "host h\nmax_restore 3\n");
        Map<String, String> env = Map.of("COORDINATOOL_HOST", "", "COORDINATOOL_MAX_RESTORE", "",
                "COORDINATOOL_VERBOSE", "", "COORDINATOOL_CLIENT_ID", "");
        LoadedConfig loaded = load(Side.CLIENT, file, env, Map.of());
        assertEquals(new ClientSettings("h", "5123", LogLevel.NORMAL, "mover7", 3, -1, -1, 1 << 20,
                ClientSecurity.NONE, new MetricsEndpoint("localhost", 0)), loaded.client());
        assertEquals(List.of(), loaded.diagnostics());
    }

    @Test
    void eachSideIgnoresTheOtherSidesVariables() throws Exception {
        LoadedConfig server = load(Side.SERVER, null, Map.of("COORDINATOOL_MAX_RESTORE", "nonsense",
                "COORDINATOOL_CLIENT_ID", "x", "COORDINATOOL_HOST", "h"), Map.of());
        assertEquals("h", server.server().host());
        assertFalse(server.config().hasPath(ConfigKey.CLIENT_ID.path()));
        LoadedConfig client = load(Side.CLIENT, null, Map.of("COORDINATOOL_REDIS_PORT", "nonsense",
                "COORDINATOOL_CLIENT_GRACE", "x", "COORDINATOOL_REDIS_HOST", "db"), Map.of());
        assertEquals(List.of(), client.warnings());
        assertEquals("localhost", client.config().getString(ConfigKey.REDIS_HOST.path()));
    }

    @Test
    void otherCoordinatoolVariablesAreIgnored() throws Exception {
        LoadedConfig loaded = load(Side.SERVER, null, Map.of("COORDINATOOL_OPTS", "-vv", "COORDINATOOL_FOO", "x"),
                Map.of());
        assertEquals(List.of(), loaded.warnings());
    }

    @Test
    void earlyLogLevelComesFromTheEnvironment() throws ConfigException {
        assertEquals(LogLevel.NORMAL, ConfigLoader.earlyLogLevel(Map.of()));
        assertEquals(LogLevel.NORMAL, ConfigLoader.earlyLogLevel(Map.of("COORDINATOOL_VERBOSE", "")));
        assertEquals(LogLevel.DEBUG, ConfigLoader.earlyLogLevel(Map.of("COORDINATOOL_VERBOSE", "Debug")));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.earlyLogLevel(Map.of("COORDINATOOL_VERBOSE", "6")));
        assertEquals("environment variable COORDINATOOL_VERBOSE: verbose: invalid log level '6' "
                + "(expected one of off, fatal, error, warn, normal, info, debug)", e.getMessage());
    }

    @Test
    void invalidVerboseVariableIsReportedBeforeTheFileIsRead() throws Exception {
        Path file = write("c.conf", "redis_port x\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Side.SERVER, file, Map.of("COORDINATOOL_VERBOSE", "loud"), Map.of()));
        assertTrue(e.getMessage().startsWith("environment variable COORDINATOOL_VERBOSE: verbose: "), e.getMessage());
    }

    @Test
    void defaultClientIdIsTheShortHostName() throws Exception {
        assertEquals("mover7", load(Side.CLIENT, null, Map.of(), Map.of()).client().clientId());
        ConfigLoader plain = new ConfigLoader(defaultFile(), () -> "agent-host");
        assertEquals("agent-host", plain.load(Side.CLIENT, null, Map.of(), Map.of()).client().clientId());
    }

    @Test
    void configuredClientIdWinsAndTheHostNameIsNotAsked() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        Supplier<String> hostName = () -> {
            asked.incrementAndGet();
            return "h.example";
        };
        ConfigLoader counting = new ConfigLoader(defaultFile(), hostName);
        Path file = write("c.conf", "client_id from-file\n");
        assertEquals("from-file", counting.load(Side.CLIENT, file, Map.of(), Map.of()).client().clientId());
        assertEquals("from-env", counting.load(Side.CLIENT, file, Map.of("COORDINATOOL_CLIENT_ID", "from-env"), Map.of())
                .client().clientId());
        assertEquals("from-option", counting.load(Side.CLIENT, file, Map.of("COORDINATOOL_CLIENT_ID", "from-env"),
                Map.of("client_id", List.of("from-option"))).client().clientId());
        counting.load(Side.SERVER, null, Map.of(), Map.of());
        assertEquals(0, asked.get());
    }

    @Test
    void unknownHostNameIsAnErrorOnlyWhenTheIdIsNeeded() throws Exception {
        ConfigLoader broken = new ConfigLoader(defaultFile(), () -> {
            throw new UncheckedIOException(new IOException("no procfs"));
        });
        ConfigException e = assertThrows(ConfigException.class,
                () -> broken.load(Side.CLIENT, null, Map.of(), Map.of()));
        assertEquals("client_id: not configured and the host name is unknown: java.io.IOException: no procfs",
                e.getMessage());
        assertEquals("x", broken.load(Side.CLIENT, null, Map.of("COORDINATOOL_CLIENT_ID", "x"), Map.of()).client().clientId());
        ConfigLoader dotted = new ConfigLoader(defaultFile(), () -> ".example.com");
        ConfigException empty = assertThrows(ConfigException.class,
                () -> dotted.load(Side.CLIENT, null, Map.of(), Map.of()));
        assertEquals("client_id: not configured and host name '.example.com' has no short form", empty.getMessage());
    }

    @Test
    void viewsBelongToTheirSide() throws Exception {
        LoadedConfig client = load(Side.CLIENT, null, Map.of(), Map.of());
        assertThrows(IllegalStateException.class, client::server);
        LoadedConfig server = load(Side.SERVER, null, Map.of(), Map.of());
        assertThrows(IllegalStateException.class, server::client);
        assertEquals(server.server(), server.settings());
    }
}
