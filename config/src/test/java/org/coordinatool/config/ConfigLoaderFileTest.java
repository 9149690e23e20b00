package org.coordinatool.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a configuration file means to each side. */
class ConfigLoaderFileTest {

    @TempDir
    Path dir;

    private Path file;

    private LoadedConfig load(Side side, String content) throws IOException, ConfigException {
        file = dir.resolve("coordinatool.conf");
        Files.writeString(file, content);
        return new ConfigLoader(dir.resolve("absent.conf"), () -> "mover7.example.com")
                .load(side, file, Map.of(), Map.of());
    }

    private ServerSettings server(String content) throws IOException, ConfigException {
        return load(Side.SERVER, content).server();
    }

    private ClientSettings client(String content) throws IOException, ConfigException {
        return load(Side.CLIENT, content).client();
    }

    private ConfigException failure(Side side, String content) {
        return assertThrows(ConfigException.class, () -> load(side, content));
    }

    @Test
    void readsEveryServerKey() throws Exception {
        ServerSettings server = server("""
                host 0.0.0.0
                port 6000
                verbose debug
                archive_id 3
                archive_id 0x10
                redis_host db.example.com
                redis_port 6380
                client_grace_ms 5000
                archive_on_hosts tag=n1 mover1 mover2
                archive_on_hosts_ch grouping= 10 mover0 mover1
                batch_archives_slices_sec 300 3600
                batch_archives_slots_per_client 2
                reporting_dir .reporting
                reporting_hint cr
                reporting_schedule_interval_ms 1000
                lustreapi_library /opt/lustre/lib/liblustreapi.so.1
                max_frame_bytes 1M
                metrics_host 0.0.0.0
                metrics_port 9100
                """);
        assertEquals(new ServerSettings("0.0.0.0", "6000", LogLevel.DEBUG, List.of(3, 16), "db.example.com", 6380, 5000,
                List.of(new RandomHostMapping("tag=n1", List.of("mover1", "mover2")),
                        new ConsistentHashMapping("grouping=", 10, List.of("mover0", "mover1"))),
                300, 3600, 2, Optional.of(".reporting"), Optional.of("cr"), 1000,
                "/opt/lustre/lib/liblustreapi.so.1", 1 << 20, ServerSecurity.NONE, ConnectionLimits.DEFAULTS,
                new MetricsEndpoint("0.0.0.0", 9100)), server);
        assertTrue(server.redisEnabled());
        assertTrue(server.batchingEnabled());
        assertTrue(server.reportingEnabled());
    }

    @Test
    void readsEveryClientKey() throws Exception {
        ClientSettings client = client("""
                host server.example.com
                port coordinatool
                verbose warn
                client_id agent_1
                max_restore 3
                max_archive 2k
                max_remove 0
                hal_size 0x100000
                agent_metrics_host ::
                agent_metrics_port 9101
                """);
        assertEquals(new ClientSettings("server.example.com", "coordinatool", LogLevel.WARN, "agent_1", 3, 2048, 0,
                1048576, ClientSecurity.NONE, new MetricsEndpoint("::", 9101)), client);
    }

    @Test
    void emptyFileGivesTheDefaults() throws Exception {
        LoadedConfig server = load(Side.SERVER, "");
        assertEquals(new ServerSettings("coordinatool", "5123", LogLevel.NORMAL, List.of(), "localhost", 6379, 600000,
                List.of(), 0, 0, 0, Optional.empty(), Optional.empty(), 60000, "", 16 << 20, ServerSecurity.NONE,
                ConnectionLimits.DEFAULTS, new MetricsEndpoint("localhost", 5124)), server.server());
        assertEquals(Optional.of(file), server.file());
        assertEquals(List.of(), server.diagnostics());
        assertEquals(new ClientSettings("coordinatool", "5123", LogLevel.NORMAL, "mover7", -1, -1, -1, 1048576,
                ClientSecurity.NONE, new MetricsEndpoint("localhost", 0)),
                client(""));
    }

    @Test
    void keysAreCaseInsensitive() throws Exception {
        ServerSettings server = server("HOST a\nRedis_Port 1\nVERBOSE Info\n");
        assertEquals("a", server.host());
        assertEquals(1, server.redisPort());
        assertEquals(LogLevel.INFO, server.verbose());
    }

    @Test
    void indentedLinesParseOnTheServerToo() throws Exception {
        ServerSettings server = server("  redis_port 6390\n\tclient_grace_ms 42\n  redis_host  db \n");
        assertEquals(6390, server.redisPort());
        assertEquals(42, server.clientGraceMs());
        assertEquals("db", server.redisHost());
    }

    @Test
    void valuesKeepInnerSpacesAndInlineHashes() throws Exception {
        ServerSettings server = server("host foo # x\nreporting_dir my reports  \n");
        assertEquals("foo # x", server.host());
        assertEquals(Optional.of("my reports"), server.reportingDir());
    }

    @Test
    void commentsAndBlankLinesAreIgnored() throws Exception {
        LoadedConfig loaded = load(Side.SERVER, "# host commented\n\n   #port 1\n#\nport 2\n");
        assertEquals("coordinatool", loaded.server().host());
        assertEquals("2", loaded.server().port());
        assertEquals(List.of(), loaded.diagnostics());
    }

    @Test
    void keyWithoutValueKeepsTheDefaultAndWarns() throws Exception {
        LoadedConfig loaded = load(Side.SERVER, "redis_host\nport 7\n");
        assertEquals("localhost", loaded.server().redisHost());
        assertEquals(List.of(file + ":1: redis_host: no value, line ignored"), loaded.warnings());
    }

    @Test
    void laterLinesOverrideEarlierOnes() throws Exception {
        assertEquals("b", server("host a\nhost b\n").host());
    }

    @Test
    void unknownKeysWarnAndLoadingContinues() throws Exception {
        LoadedConfig loaded = load(Side.CLIENT, "colour blue\nport 9\nMetrics_Path 1\n");
        assertEquals("9", loaded.client().port());
        assertEquals(List.of(file + ":1: unknown key 'colour', line ignored",
                file + ":3: unknown key 'Metrics_Path', line ignored"), loaded.warnings());
    }

    @Test
    void theServerSkipsClientKeysSilentlyEvenInvalidOnes() throws Exception {
        LoadedConfig loaded = load(Side.SERVER, "client_id x\nmax_restore nonsense\nhal_size 9G\nport 1\n");
        assertEquals("1", loaded.server().port());
        assertEquals(List.of(), loaded.diagnostics());
    }

    @Test
    void clientsSkipServerKeysSilentlyEvenInvalidOnes() throws Exception {
        LoadedConfig loaded = load(Side.CLIENT, """
                archive_id 0
                redis_port 70000
                archive_on_hosts_ch tag
                batch_archives_slices_sec x
                max_frame_bytes 1
                lustreapi_library /x
                port 1
                """);
        assertEquals("1", loaded.client().port());
        assertEquals(List.of(), loaded.diagnostics());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "redis_port 70000|redis_port: value 70000 out of range 0..65535",
            "redis_port -1|redis_port: value -1 out of range 0..65535",
            "redis_port 12abc|redis_port: '12abc' is not a number (unexpected 'abc')",
            "client_grace_ms -5|client_grace_ms: value -5 out of range 0..2147483647",
            "client_grace_ms 1 s|client_grace_ms: '1 s' is not a number (unexpected ' s')",
            "reporting_schedule_interval_ms 2147483648|reporting_schedule_interval_ms: value 2147483648 out of range 0..2147483647",
            "archive_id 0|archive_id: value 0 out of range 1..2147483647",
            "archive_id 2147483648|archive_id: value 2147483648 out of range 1..2147483647",
            "archive_id 09|archive_id: '09' is not a number (unexpected '9')",
            "verbose loud|verbose: invalid log level 'loud' (expected one of off, fatal, error, warn, normal, info, debug)",
            "port 65536|port: value 65536 out of range 0..65535",
            "batch_archives_slices_sec soon|batch_archives_slices_sec: idle: 'soon' is not a number",
            "batch_archives_slices_sec 1 -2|batch_archives_slices_sec: max: value -2 out of range 0..2147483647",
            "batch_archives_slices_sec 1 2 3|batch_archives_slices_sec: '1 2 3' is not '<idle> [<max>]' (seconds)",
            "batch_archives_slots_per_client 1025|batch_archives_slots_per_client: value 1025 out of range 0..1024",
            "archive_on_hosts_ch grouping=|archive_on_hosts_ch: missing N in 'grouping=' (expected <tag> <N> <host>...)",
            "max_frame_bytes 1000|max_frame_bytes: value 1000 out of range 1024..2147483647",
            "max_frame_bytes -1|max_frame_bytes: value -1 out of range 1024..2147483647",
            "max_frame_bytes 2G|max_frame_bytes: value 2147483648 out of range 1024..2147483647",
    })
    void serverValueErrorsNameFileLineAndKey(String badLine, String message) throws IOException {
        ConfigException e = failure(Side.SERVER, "# first line\nhost h\n" + badLine + "\nport 1\n");
        assertEquals(file + ":3: " + message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "max_restore -2|max_restore: value -2 out of range 0..4294967295",
            "max_archive 4G|max_archive: value 4294967296 out of range 0..4294967295",
            "max_remove 3x|max_remove: '3x' is not a size (unexpected 'x'; suffixes are k, m, g)",
            "hal_size big|hal_size: 'big' is not a number",
            "hal_size -1k|hal_size: value -1024 out of range 0..4294967295",
            "verbose 6|verbose: invalid log level '6' (expected one of off, fatal, error, warn, normal, info, debug)",
            "port 99999|port: value 99999 out of range 0..65535",
    })
    void clientValueErrorsNameFileLineAndKey(String badLine, String message) throws IOException {
        ConfigException e = failure(Side.CLIENT, "host h\n" + badLine + "\n");
        assertEquals(file + ":2: " + message, e.getMessage());
    }

    @Test
    void sizesAcceptSuffixesAndMinusOne() throws Exception {
        ClientSettings client = client("max_restore -1\nmax_archive 3\nmax_remove 1K\nhal_size 2m\n");
        assertEquals(ClientSettings.UNLIMITED, client.maxRestore());
        assertEquals(3, client.maxArchive());
        assertEquals(1024, client.maxRemove());
        assertEquals(2 << 20, client.halSize());
    }

    @Test
    void charactersAfterASizeSuffixWarn() throws Exception {
        LoadedConfig loaded = load(Side.CLIENT, "hal_size 2MiB\n");
        assertEquals(2 << 20, loaded.client().halSize());
        assertEquals(List.of(file + ":1: hal_size: ignoring 'iB' after the size suffix in '2MiB'"), loaded.warnings());
    }

    @Test
    void portAcceptsServiceNames() throws Exception {
        assertEquals("coordinatool-svc", server("port coordinatool-svc\n").port());
        assertEquals("0", server("port 0\n").port());
    }

    @Test
    void archiveIdsAccumulateInOrder() throws Exception {
        assertEquals(List.of(7, 1, 7, 2147483647), server("archive_id 7\narchive_id 1\nhost x\narchive_id 7\narchive_id 0x7fffffff\n")
                .archiveIds());
    }

    @Test
    void atMost32ArchiveIds() throws Exception {
        StringBuilder content = new StringBuilder();
        for (int id = 1; id <= 32; id++) {
            content.append("archive_id ").append(id).append('\n');
        }
        assertEquals(32, server(content.toString()).archiveIds().size());
        ConfigException e = failure(Side.SERVER, content + "archive_id 33\n");
        assertEquals(file + ":33: archive_id: more than 32 values", e.getMessage());
    }

    @Test
    void hostMappingsKeepTheirOrderAcrossKinds() throws Exception {
        ServerSettings server = server("""
                archive_on_hosts_ch grouping= 0 a b c
                archive_on_hosts tag=n0 mover0
                archive_on_hosts\ttag=n1 \t mover1\t mover2
                ARCHIVE_ON_HOSTS_CH other= 0x10 d
                """);
        assertEquals(List.of(
                new ConsistentHashMapping("grouping=", 0, List.of("a", "b", "c")),
                new RandomHostMapping("tag=n0", List.of("mover0")),
                new RandomHostMapping("tag=n1", List.of("mover1", "mover2")),
                new ConsistentHashMapping("other=", 16, List.of("d"))), server.hostMappings());
    }

    @Test
    void anyCapitalisationOfTheConsistentHashKeyIsAConsistentHashLine() throws Exception {
        assertEquals(List.of(new ConsistentHashMapping("g=", 3, List.of("h1", "h2"))),
                server("Archive_On_Hosts_CH g= 3 h1 h2\n").hostMappings());
    }

    @Test
    void mappingWithoutHostIsIgnoredWithAnInfo() throws Exception {
        LoadedConfig loaded = load(Side.SERVER, """
                archive_on_hosts lonely=
                archive_on_hosts_ch alone= 5
                archive_on_hosts kept= h
                """);
        assertEquals(List.of(new RandomHostMapping("kept=", List.of("h"))), loaded.server().hostMappings());
        assertEquals(List.of(
                        new Diagnostic(LogLevel.INFO, file + ":1: archive_on_hosts: tag 'lonely=' has no host, line ignored"),
                        new Diagnostic(LogLevel.INFO, file + ":2: archive_on_hosts_ch: tag 'alone=' has no host, line ignored")),
                loaded.diagnostics());
    }

    @Test
    void invalidConsistentHashCountWarnsAndCountsAsZero() throws Exception {
        LoadedConfig loaded = load(Side.SERVER, "archive_on_hosts_ch g= mover0 mover1 mover2\narchive_on_hosts_ch h= -3 x\n");
        assertEquals(List.of(new ConsistentHashMapping("g=", 0, List.of("mover1", "mover2")),
                new ConsistentHashMapping("h=", 0, List.of("x"))), loaded.server().hostMappings());
        assertEquals(List.of(
                file + ":1: archive_on_hosts_ch: invalid N: 'mover0' is not a number; using 0",
                file + ":2: archive_on_hosts_ch: invalid N: value -3 out of range 0..2147483647; using 0"),
                loaded.warnings());
    }

    @Test
    void batchSlicesTakeAnOptionalMaximum() throws Exception {
        ServerSettings idleOnly = server("batch_archives_slices_sec 300\n");
        assertEquals(300, idleOnly.batchIdleSeconds());
        assertEquals(0, idleOnly.batchMaxSeconds());
        assertEquals(1, idleOnly.slotsPerClient());
        ServerSettings both = server("batch_archives_slices_sec 0x10\t\t60\nbatch_archives_slots_per_client 4\n");
        assertEquals(16, both.batchIdleSeconds());
        assertEquals(60, both.batchMaxSeconds());
        assertEquals(4, both.slotsPerClient());
    }

    @Test
    void slotsAreForcedToZeroWhenBatchingIsOff() throws Exception {
        ServerSettings server = server("batch_archives_slices_sec 0 3600\nbatch_archives_slots_per_client 5\n");
        assertFalse(server.batchingEnabled());
        assertEquals(0, server.slotsPerClient());
        assertEquals(3600, server.batchMaxSeconds());
    }

    @Test
    void batchingWithoutSlotsIsAnError() throws IOException {
        ConfigException e = failure(Side.SERVER, "batch_archives_slices_sec 300\nbatch_archives_slots_per_client 0\n");
        assertEquals(file + ":2: batch_archives_slots_per_client: 0 slots while batching is on "
                + "(batch_archives_slices_sec idle 300): no archive could ever be dispatched", e.getMessage());
    }

    @Test
    void reportingNeedsDirectoryAndHint() throws Exception {
        LoadedConfig dirOnly = load(Side.SERVER, "host h\nreporting_dir .reporting\n");
        assertFalse(dirOnly.server().reportingEnabled());
        assertEquals(List.of(file + ":2: reporting_dir: reporting also needs reporting_hint; reporting disabled"),
                dirOnly.warnings());
        LoadedConfig hintOnly = load(Side.SERVER, "reporting_hint cr\n");
        assertFalse(hintOnly.server().reportingEnabled());
        assertEquals(List.of(file + ":1: reporting_hint: reporting also needs reporting_dir; reporting disabled"),
                hintOnly.warnings());
    }

    @Test
    void theSampleFileLoadsOnBothSides() throws Exception {
        String sample = """
                # coordinatool sample configuration
                host coordinatool
                port 5123
                verbose normal
                #archive_id 1
                redis_host 127.0.0.1
                redis_port 6379
                client_grace_ms 600000
                #archive_on_hosts tag=n0 mover0
                #archive_on_hosts tag=n1 mover1 mover2
                #archive_on_hosts_ch grouping= 0 mover0 mover1 mover2
                #archive_on_hosts_ch grouping= 10 mover0 mover1 mover2
                batch_archives_slices_sec 300 3600
                batch_archives_slots_per_client 1
                reporting_dir .reporting
                reporting_hint cr
                reporting_schedule_interval_ms 60000
                #client_id mover0
                max_restore -1
                max_archive -1
                max_remove -1
                hal_size 1M
                """;
        LoadedConfig server = load(Side.SERVER, sample);
        assertEquals("127.0.0.1", server.server().redisHost());
        assertEquals(300, server.server().batchIdleSeconds());
        assertEquals(List.of(), server.diagnostics());
        LoadedConfig client = load(Side.CLIENT, sample);
        assertEquals(new ClientSettings("coordinatool", "5123", LogLevel.NORMAL, "mover7", -1, -1, -1, 1 << 20,
                ClientSecurity.NONE, new MetricsEndpoint("localhost", 0)),
                client.client());
        assertEquals(List.of(), client.diagnostics());
    }
}
