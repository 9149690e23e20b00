package org.coordinatool.tests.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.ManagedProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.ProcessResult;
import org.coordinatool.tests.support.Processes;
import org.coordinatool.tests.support.SimMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive, unpacked as a user would, runs the whole system on the simulator: its
 * {@code lhsmd_coordinatool} serves a mount, its {@code coordinatool-mover} runs
 * {@code lsim-copytool} under the archive's own preload library, a file is archived, and its
 * {@code coordinatool-client} shows the mover's work.
 */
class DistributionIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void theUnpackedArchiveRunsTheWholeSystem() throws Exception {
        Path home = unpack();
        Map<String, String> env = new HashMap<>(CoordinatorProcess.environment());
        env.put("COORDINATOOL_CONF", Files.writeString(dir.resolve("empty.conf"), "").toString());
        int port = CoordinatorProcess.freePort();
        String portText = Integer.toString(port);

        try (SimMount mount = SimMount.start(dir.resolve("mnt"), "distfs");
             ManagedProcess server = ManagedProcess.start(List.of(home.resolve("bin/lhsmd_coordinatool").toString(),
                     "-H", CoordinatorProcess.HOST, "-p", portText, "--redis-host", "", "--metrics-host",
                     CoordinatorProcess.HOST, "--metrics-port", Integer.toString(CoordinatorProcess.freePort()),
                     mount.root().toString()),
                     env, dir.resolve("server.log"))) {
            Await.until(TIMEOUT, "the coordinator listening on " + port, () -> listening(server, port));
            Path archive = Files.createDirectories(dir.resolve("archive"));
            try (ManagedProcess mover = ManagedProcess.start(List.of(home.resolve("bin/coordinatool-mover").toString(),
                    "-H", CoordinatorProcess.HOST, "-p", portText, "-I", "distmover",
                    "--socket-dir", Files.createDirectories(dir.resolve("sockets")).toString(), "--",
                    SimMount.tool("lsim-copytool").toString(), "-p", archive.toString(), mount.root().toString()),
                    env, dir.resolve("mover.log"))) {
                Path file = Files.writeString(mount.path("file1"), "distribution data");
                mount.lfs("hsm_archive", file.toString()).requireOk();
                Await.until(TIMEOUT, file + " archived\n" + server.log() + mover.log(),
                        () -> mount.hsmState(file).has(SimMount.HsmFileState.ARCHIVED));

                assertEquals(home.resolve("lib/libcoordinatool_preload.so").toString(), preloadOf(mover));
                ProcessResult status = Processes.run(TIMEOUT, List.of(home.resolve("bin/coordinatool-client").toString(),
                        "-H", CoordinatorProcess.HOST, "-p", portText, "--timeout", "20", "--json"), env, null)
                        .requireOk();
                JsonNode state = new ObjectMapper().readTree(status.stdout());
                assertEquals(1, state.path("done_archive").asInt(), status.stdout());
                assertEquals("distmover", MoverSite.client(state, "distmover").path("client_id").asText(),
                        status.stdout());

                assertEquals(0, mover.terminate(TIMEOUT), mover.log());
            }
            assertEquals(0, server.terminate(TIMEOUT), server.log());
        }
    }

    private Path unpack() {
        Path archive = Path.of(System.getProperty("dist.archive"));
        Processes.run(TIMEOUT, List.of("tar", "-xzf", archive.toString(), "-C", dir.toString())).requireOk();
        return dir.resolve(archive.getFileName().toString().replaceFirst("\\.tar\\.gz$", ""));
    }

    private static boolean listening(ManagedProcess server, int port) {
        if (!server.isAlive()) {
            throw new AssertionError("the coordinator exited with status " + server.exitCode() + "\n" + server.log());
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(CoordinatorProcess.HOST, port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** LD_PRELOAD in the environment of the mover's copytool, read from /proc. */
    private static String preloadOf(ManagedProcess mover) throws IOException {
        String copytool = "/" + SimMount.tool("lsim-copytool").getFileName();
        ProcessHandle p = Await.value(TIMEOUT, "the copytool process", () -> mover.descendants()
                        .filter(h -> h.info().command().map(c -> c.endsWith(copytool)).orElse(false)).toList(),
                l -> l.size() == 1).get(0);
        byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
        return Arrays.stream(new String(environ, StandardCharsets.UTF_8).split("\0"))
                .filter(v -> v.startsWith("LD_PRELOAD=")).map(v -> v.substring("LD_PRELOAD=".length()))
                .findFirst().orElse("");
    }
}
