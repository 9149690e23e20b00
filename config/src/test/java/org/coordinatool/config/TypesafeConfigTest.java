package org.coordinatool.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The layered typesafe {@code Config}, the views built from it, and logging of diagnostics. */
class TypesafeConfigTest {

    @TempDir
    Path dir;

    private LoadedConfig load(Side side, String content, Map<String, String> env) throws Exception {
        Path file = Files.writeString(dir.resolve("c.conf"), content);
        return new ConfigLoader(dir.resolve("absent.conf"), () -> "node").load(side, file, env, Map.of());
    }

    @Test
    void referenceConfCarriesEveryDefault() {
        Config reference = ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader());
        for (ConfigKey key : ConfigKey.values()) {
            assertEquals(key != ConfigKey.CLIENT_ID, reference.hasPath(key.path()), key.path());
        }
        ServerSettings server = ServerSettings.from(reference);
        assertEquals(new ServerSettings("coordinatool", "5123", LogLevel.NORMAL, List.of(), "localhost", 6379, 600000,
                List.of(), 0, 0, 0, Optional.empty(), Optional.empty(), 60000, "", 16 << 20, ServerSecurity.NONE,
                ConnectionLimits.DEFAULTS, new MetricsEndpoint("localhost", 5124)), server);
        assertEquals(1, reference.getInt(ConfigKey.BATCH_ARCHIVES_SLOTS_PER_CLIENT.path()));
    }

    @Test
    void valuesAreTypedAndNameTheirOrigin() throws Exception {
        LoadedConfig loaded = load(Side.SERVER, """
                archive_id 4
                archive_id 9
                archive_on_hosts t= a b
                archive_on_hosts_ch g= 3 c
                batch_archives_slices_sec 10 20
                verbose DEBUG
                """, Map.of("COORDINATOOL_REDIS_PORT", "1234"));
        Config config = loaded.config();
        Path file = dir.resolve("c.conf");
        assertEquals(List.of(4, 9), config.getIntList("coordinatool.archive_id"));
        assertEquals(file + ":2", config.getList("coordinatool.archive_id").get(1).origin().description());
        List<? extends Config> mappings = config.getConfigList("coordinatool.host_mappings");
        assertEquals("t=", mappings.get(0).getString("tag"));
        assertEquals(List.of("a", "b"), mappings.get(0).getStringList("hosts"));
        assertEquals(false, mappings.get(0).hasPath("n"));
        assertEquals(3, mappings.get(1).getInt("n"));
        assertEquals(10, config.getInt("coordinatool.batch_archives_slices_sec.idle"));
        assertEquals(20, config.getInt("coordinatool.batch_archives_slices_sec.max"));
        assertEquals("debug", config.getString("coordinatool.verbose"));
        assertEquals(1234, config.getInt("coordinatool.redis_port"));
        assertEquals("environment variable COORDINATOOL_REDIS_PORT",
                config.getValue("coordinatool.redis_port").origin().description());
        assertEquals(file + ":6", config.getValue("coordinatool.verbose").origin().description());
        assertTrue(config.isResolved());
    }

    @Test
    void clientIdDefaultIsVisibleInTheConfig() throws Exception {
        Config config = load(Side.CLIENT, "", Map.of()).config();
        assertEquals("node", config.getString("coordinatool.client_id"));
        assertEquals("short host name", config.getValue("coordinatool.client_id").origin().description());
        assertEquals(-1, config.getLong("coordinatool.max_restore"));
    }

    @Test
    void viewsReadAnyConfigLayeredOnTheReference() {
        Config config = ConfigFactory.parseString("""
                coordinatool {
                  archive_id = [2]
                  host_mappings = [{ tag = "t=", hosts = [x] }, { tag = "g=", n = 4, hosts = [y, z] }]
                  batch_archives_slices_sec { idle = 5, max = 0 }
                  client_id = me
                }
                """).withFallback(ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader()));
        ServerSettings server = ServerSettings.from(config);
        assertEquals(List.of(2), server.archiveIds());
        assertEquals(List.of(new RandomHostMapping("t=", List.of("x")),
                new ConsistentHashMapping("g=", 4, List.of("y", "z"))), server.hostMappings());
        assertEquals(1, server.slotsPerClient());
        assertEquals("me", ClientSettings.from(config).clientId());
    }

    @Test
    void viewsRejectAnInvalidLogLevel() {
        Config config = ConfigFactory.parseString("coordinatool.verbose = chatty, coordinatool.client_id = x")
                .withFallback(ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader()));
        assertThrows(com.typesafe.config.ConfigException.BadValue.class, () -> ClientSettings.from(config));
    }

    @Test
    void settingsAreImmutable() {
        List<Integer> ids = new java.util.ArrayList<>(List.of(1));
        List<String> hosts = new java.util.ArrayList<>(List.of("h"));
        ServerSettings server = new ServerSettings("h", "1", LogLevel.NORMAL, ids, "", 1, 1,
                List.of(new RandomHostMapping("t", hosts)), 0, 0, 3, Optional.empty(), Optional.empty(), 1, "", 1024,
                ServerSecurity.NONE, ConnectionLimits.DEFAULTS, new MetricsEndpoint("localhost", 5124));
        ids.add(2);
        hosts.add("other");
        assertEquals(List.of(1), server.archiveIds());
        assertEquals(List.of("h"), server.hostMappings().get(0).hosts());
        assertEquals(0, server.slotsPerClient());
        assertThrows(UnsupportedOperationException.class, () -> server.archiveIds().add(3));
        assertThrows(IllegalArgumentException.class, () -> new RandomHostMapping("t", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ConsistentHashMapping("t", -1, List.of("h")));
    }

    @Test
    void diagnosticsAreLoggedAtTheirLevel() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(ConfigLoader.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        try {
            load(Side.SERVER, "colour red\narchive_on_hosts lonely=\n", Map.of());
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(null);
        }
        Path file = dir.resolve("c.conf");
        assertEquals(List.of(
                        Level.WARN + " " + file + ":1: unknown key 'colour', line ignored",
                        Level.INFO + " " + file + ":2: archive_on_hosts: tag 'lonely=' has no host, line ignored"),
                appender.list.stream().map(event -> event.getLevel() + " " + event.getFormattedMessage()).toList());
    }
}
