package org.coordinatool.tests.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.coordinatool.coordinator.security.TestCertificates;
import org.coordinatool.coordinator.security.TestTokens;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.ProcessResult;
import org.coordinatool.tests.support.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A protected site through real processes: the coordinator with mutual TLS and both tokens, a
 * mover and coordinatool-client presenting their certificates and tokens, files archived through
 * it; and the start-up refusals an operator sees when the protection is incomplete.
 */
class SecureSiteIT {

    static final Duration FAILURE_DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path work;

    MoverSite site;
    TestCertificates certs;
    Path agentToken;
    Path adminToken;

    @BeforeEach
    void start() throws Exception {
        site = MoverSite.start(work, "secure");
        Path dir = Files.createDirectories(work.resolve("certs"));
        certs = TestCertificates.create(dir);
        agentToken = TestTokens.write(dir.resolve("agent.token"), TestTokens.AGENT);
        adminToken = dir.resolve("admin.token");
        // As the README says to make one.
        Processes.run(FAILURE_DEADLINE, List.of("sh", "-c", "umask 077; openssl rand -base64 32 > " + adminToken),
                Map.of(), null).requireOk();
    }

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    CoordinatorProcess.Settings protectedCoordinator() {
        return site.coordinator().config(
                "tls on",
                "tls_cert " + certs.server().certificate(),
                "tls_key " + certs.server().key(),
                "tls_ca " + certs.ca(),
                "agent_token_file " + agentToken,
                "admin_token_file " + adminToken);
    }

    /** The client options of a mover or coordinatool-client holding the CA's client certificate. */
    List<String> tlsOptions(Path token) {
        List<String> options = new ArrayList<>(List.of("--tls", "--tls-ca", certs.ca().toString(),
                "--tls-cert", certs.client().certificate().toString(), "--tls-key", certs.client().key().toString()));
        if (token != null) {
            options.addAll(List.of("--token-file", token.toString()));
        }
        return options;
    }

    ProcessResult client(CoordinatorProcess coordinator, Path token, String... args) {
        List<String> all = new ArrayList<>(tlsOptions(token));
        all.addAll(List.of(args));
        return CoordinatorSite.client(coordinator, null, all.toArray(String[]::new));
    }

    @Test
    void filesAreArchivedThroughMutualTlsWithTokens() throws Exception {
        CoordinatorProcess coordinator = site.start(protectedCoordinator());
        coordinator.awaitLog("listening on 127.0.0.1:" + coordinator.port() + " (TLS)", FAILURE_DEADLINE);
        MoverProcess mover = site.start(site.mover("mover1", coordinator)
                .mover(tlsOptions(agentToken).toArray(String[]::new)));
        mover.awaitConnected(MoverSite.DEADLINE);
        List<Path> files = site.createFiles("secret", 5, 16 * 1024);
        site.archiveAll(files);

        ProcessResult admin = client(coordinator, adminToken, "--json").requireOk();
        JsonNode status = new ObjectMapper().readTree(admin.stdout());
        assertEquals(5, status.path("done_archive").asInt(), admin.stdout());
        assertEquals(5, MoverSite.client(status, "mover1").path("done_archive").asInt(), admin.stdout());

        // Without the admin token: the counters only, and no lock.
        JsonNode summary = new ObjectMapper().readTree(client(coordinator, null, "--json").requireOk().stdout());
        assertEquals(5, summary.path("done_archive").asInt());
        assertEquals(0, summary.path("clients").size(), summary.toString());
        ProcessResult lock = client(coordinator, agentToken, "--lock");
        assertEquals(1, lock.exitCode(), lock.describe());
        assertTrue(lock.stderr().contains("Permission denied: lock needs the admin token"), lock.describe());

        // A client that does not trust the server's CA never gets to send anything.
        ProcessResult untrusting = CoordinatorSite.client(coordinator, null, "--tls", "--tls-ca",
                certs.otherCa().toString(), "--timeout", "3");
        assertEquals(1, untrusting.exitCode(), untrusting.describe());
        assertTrue(untrusting.stderr().contains("TLS with " + CoordinatorProcess.HOST), untrusting.describe());
        assertTrue(mover.isAlive());
    }

    @Test
    void aTokenFileOthersCanReadStopsTheStart() throws Exception {
        Files.setPosixFilePermissions(agentToken, PosixFilePermissions.fromString("rw-r-----"));
        ProcessResult server = protectedCoordinator().runUntilExit(CoordinatorProcess.freePort(), FAILURE_DEADLINE);
        assertEquals(1, server.exitCode(), server.describe());
        assertEquals("lhsmd_coordinatool: agent_token_file " + agentToken + ": group or others have access (mode 640);"
                + " make it readable by its owner only (chmod 600)", server.lastErrorLine(), server.describe());

        CoordinatorProcess coordinator = site.start(site.coordinator());
        ProcessResult client = CoordinatorSite.client(coordinator, null, "--token-file", agentToken.toString());
        assertEquals(1, client.exitCode(), client.describe());
        assertEquals("coordinatool-client: token_file " + agentToken + ": group or others have access (mode 640);"
                + " make it readable by its owner only (chmod 600)", client.lastErrorLine(), client.describe());
    }

    @Test
    void anOpenPortIsRefusedBeyondLoopbackUnlessAllowed() {
        ProcessResult refused = site.coordinator().listenOn("0.0.0.0")
                .runUntilExit(CoordinatorProcess.freePort(), FAILURE_DEADLINE);
        assertEquals(1, refused.exitCode(), refused.describe());
        assertTrue(refused.lastErrorLine().startsWith("lhsmd_coordinatool: refusing to listen on '0.0.0.0' (0.0.0.0), which"
                + " is not a loopback address, without protection"), refused.describe());

        CoordinatorProcess allowed = site.start(site.coordinator().listenOn("0.0.0.0").config("allow_insecure on"));
        assertTrue(allowed.isAlive());
        CoordinatorSite.client(allowed, null).requireOk();
    }
}
