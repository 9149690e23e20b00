package org.coordinatool.mover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.coordinatool.config.ClientSecurity;
import org.coordinatool.config.ClientSettings;
import org.coordinatool.config.LogLevel;
import org.coordinatool.config.MetricsEndpoint;
import org.coordinatool.coordinator.client.ClientProtection;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmAction;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.hsm.HsmExtent;

/**
 * An agent in this JVM whose copytool is a stand-in process (a shell script that records its pid
 * and sleeps); the tests play the copytool's shim themselves with {@link ScriptedShim}.
 */
final class AgentHarness implements AutoCloseable {

    static final String CLIENT_ID = "mover1";
    static final Duration WAIT = Duration.ofSeconds(20);

    final Path dir;
    final Path pids;
    final Path script;
    MoverAgent agent;

    AgentHarness(Path dir) throws IOException {
        this.dir = dir;
        this.pids = dir.resolve("pids");
        this.script = dir.resolve("copytool.sh");
        // The environment first: a test that has seen the pid may read it at once.
        Files.writeString(script, "#!/bin/sh\necho \"$LD_PRELOAD|$COORDINATOOL_AGENT_SOCKET\" > \"$1.env\"\n"
                + "echo $$ >> \"$1\"\nexec sleep 600\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Files.write(dir.resolve("libshim.so"), new byte[0]);
    }

    static ClientSettings client(int port, long halSize) {
        return new ClientSettings("127.0.0.1", Integer.toString(port), LogLevel.NORMAL, CLIENT_ID, 3, -1, -1,
                halSize, ClientSecurity.NONE, new MetricsEndpoint("localhost", 0));
    }

    MoverSettings settings(int port, List<String> command, Duration stopTimeout, int maxRestarts) {
        return new MoverSettings(client(port, 1 << 20), ClientProtection.NONE, command, dir.resolve("libshim.so"), dir,
                Duration.ofMillis(50), maxRestarts, Duration.ofSeconds(60), stopTimeout);
    }

    /** Starts an agent whose copytool records its pid and sleeps. */
    MoverAgent start(int port) throws IOException {
        return start(settings(port, List.of(script.toString(), pids.toString()), Duration.ofSeconds(30), 5));
    }

    MoverAgent start(MoverSettings settings) throws IOException {
        agent = MoverAgent.start(settings);
        return agent;
    }

    Path socket() {
        return agent.socket();
    }

    /** The pid of the n-th copytool started (1 = first), once it has started. */
    long copytoolPid(int n) {
        until("copytool number " + n + " to start", () -> startedCopytools() >= n);
        return Long.parseLong(lines().get(n - 1).trim());
    }

    int startedCopytools() {
        return lines().size();
    }

    private List<String> lines() {
        try {
            return Files.exists(pids) ? Files.readAllLines(pids) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long pause = 5;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            pause = Math.min(pause * 2, 100);
        }
    }

    static Fid fid(int oid) {
        return new Fid(0x200000401L, oid, 0);
    }

    static HsmActionItem archive(long cookie, int oid, byte[] data) {
        return new HsmActionItem(HsmAction.ARCHIVE, fid(oid), fid(oid), HsmExtent.WHOLE_FILE, cookie, 0, data);
    }

    static HsmActionList list(HsmActionItem... items) {
        return new HsmActionList(0, 1, TestCoordinator.FSNAME, List.of(items));
    }

    @Override
    public void close() {
        // Stop first so that no copytool is restarted, then end the stand-ins: they never exit by themselves.
        if (agent != null) {
            agent.requestStop();
        }
        for (String line : lines()) {
            kill(Long.parseLong(line.trim()));
        }
        if (agent != null) {
            try {
                agent.exit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the agent did not finish", e);
            }
        }
    }
}
