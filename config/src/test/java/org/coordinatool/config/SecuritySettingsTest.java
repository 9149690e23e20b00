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

/** The TLS, token and connection-limit keys on both sides. */
class SecuritySettingsTest {

    @TempDir
    Path dir;

    private Path file;

    private LoadedConfig load(Side side, String content, Map<String, String> env,
                              Map<String, List<String>> options) throws IOException, ConfigException {
        file = dir.resolve("coordinatool.conf");
        Files.writeString(file, content);
        return new ConfigLoader(dir.resolve("absent.conf"), () -> "mover7").load(side, file, env, options);
    }

    private LoadedConfig load(Side side, String content) throws IOException, ConfigException {
        return load(side, content, Map.of(), Map.of());
    }

    @Test
    void readsEveryServerSecurityKey() throws Exception {
        ServerSettings server = load(Side.SERVER, """
                tls on
                tls_cert /etc/coordinatool/server.pem
                tls_key /etc/coordinatool/server.key
                tls_ca /etc/coordinatool/clients-ca.pem
                agent_token_file /etc/coordinatool/agent.token
                admin_token_file /etc/coordinatool/admin.token
                allow_insecure yes
                max_connections 10
                max_pending_replies 20
                frame_timeout_ms 0x100
                """).server();
        assertEquals(new ServerSecurity(new TlsSettings(true, Optional.of(Path.of("/etc/coordinatool/server.pem")),
                        Optional.of(Path.of("/etc/coordinatool/server.key")),
                        Optional.of(Path.of("/etc/coordinatool/clients-ca.pem"))),
                Optional.of(Path.of("/etc/coordinatool/agent.token")),
                Optional.of(Path.of("/etc/coordinatool/admin.token")), true), server.security());
        assertTrue(server.security().secured());
        assertEquals(new ConnectionLimits(10, 20, 256), server.limits());
    }

    @Test
    void readsEveryClientSecurityKey() throws Exception {
        ClientSettings client = load(Side.CLIENT, """
                tls ON
                tls_cert mover.pem
                tls_key mover.key
                tls_ca ca.pem
                token_file agent.token
                """).client();
        assertEquals(new ClientSecurity(new TlsSettings(true, Optional.of(Path.of("mover.pem")),
                Optional.of(Path.of("mover.key")), Optional.of(Path.of("ca.pem"))),
                Optional.of(Path.of("agent.token"))), client.security());
    }

    @Test
    void defaultsAreTheOriginalsBehaviour() throws Exception {
        LoadedConfig server = load(Side.SERVER, "");
        assertEquals(ServerSecurity.NONE, server.server().security());
        assertFalse(server.server().security().secured());
        assertEquals(ConnectionLimits.DEFAULTS, server.server().limits());
        assertEquals(ClientSecurity.NONE, load(Side.CLIENT, "").client().security());
    }

    @Test
    void variablesAndOptionsOverrideTheFile() throws Exception {
        LoadedConfig server = load(Side.SERVER, "max_connections 5\ntls_cert a.pem\ntls_key a.key\n", Map.of(
                "COORDINATOOL_TLS", "on",
                "COORDINATOOL_TLS_CERT", "b.pem",
                "COORDINATOOL_TLS_KEY", "b.key",
                "COORDINATOOL_TLS_CA", "ca.pem",
                "COORDINATOOL_AGENT_TOKEN_FILE", "agent",
                "COORDINATOOL_ADMIN_TOKEN_FILE", "admin",
                "COORDINATOOL_ALLOW_INSECURE", "true",
                "COORDINATOOL_MAX_CONNECTIONS", "6",
                "COORDINATOOL_MAX_PENDING_REPLIES", "7",
                "COORDINATOOL_FRAME_TIMEOUT_MS", "8"), Map.of("max_connections", List.of("9")));
        ServerSecurity security = server.server().security();
        assertEquals(List.of(true, Path.of("b.pem"), Path.of("b.key"), Path.of("ca.pem"), Path.of("agent"),
                        Path.of("admin"), true),
                List.of(security.tls().enabled(), security.tls().certificate().get(), security.tls().key().get(),
                        security.tls().ca().get(), security.agentTokenFile().get(), security.adminTokenFile().get(),
                        security.allowInsecure()));
        assertEquals(new ConnectionLimits(9, 7, 8), server.server().limits());
        ClientSettings client = load(Side.CLIENT, "", Map.of("COORDINATOOL_TOKEN_FILE", "t", "COORDINATOOL_TLS", "1"),
                Map.of()).client();
        assertEquals(new ClientSecurity(new TlsSettings(true, Optional.empty(), Optional.empty(), Optional.empty()),
                Optional.of(Path.of("t"))), client.security());
    }

    @Test
    void eachSideSkipsTheOthersKeys() throws Exception {
        String both = "token_file t\nagent_token_file a\nmax_connections 3\n";
        assertEquals(Optional.of(Path.of("a")), load(Side.SERVER, both).server().security().agentTokenFile());
        assertEquals(Optional.of(Path.of("t")), load(Side.CLIENT, both).client().security().tokenFile());
        assertThrows(IllegalArgumentException.class, () -> load(Side.CLIENT, "", Map.of(),
                Map.of("agent_token_file", List.of("a"))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "SERVER|tls maybe|:1: tls: 'maybe' is neither on nor off",
            "SERVER|allow_insecure 2|:1: allow_insecure: '2' is neither on nor off",
            "SERVER|max_connections 0|:1: max_connections: value 0 out of range 1..2147483647",
            "SERVER|max_pending_replies -1|:1: max_pending_replies: value -1 out of range 1..2147483647",
            "SERVER|frame_timeout_ms 0|:1: frame_timeout_ms: value 0 out of range 1..2147483647",
            "CLIENT|tls sometimes|:1: tls: 'sometimes' is neither on nor off",
    })
    void invalidValuesNameFileLineAndKey(Side side, String line, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(side, line + "\n"));
        assertEquals(file + message, e.getMessage());
    }

    @Test
    void filesWithoutTlsWarn() throws Exception {
        LoadedConfig client = load(Side.CLIENT, "tls_ca ca.pem\n");
        assertEquals(List.of(file + ":1: tls_ca: unused while tls is off"), client.warnings());
    }

    @Test
    void aClientNeedsNoCertificateForTls() throws Exception {
        TlsSettings tls = load(Side.CLIENT, "tls on\n").client().security().tls();
        assertTrue(tls.enabled());
        assertTrue(tls.certificate().isEmpty());
    }
}
