package org.coordinatool.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MoverCommandLineTest {

    record Result(int status, String out, String err) {
    }

    @TempDir
    Path dir;

    Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Mover.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Map<String, String> noConfig() throws Exception {
        Path conf = dir.resolve("empty.conf");
        Files.writeString(conf, "");
        return Map.of("COORDINATOOL_CONF", conf.toString());
    }

    @Test
    void helpAndVersion() throws Exception {
        Result help = run(noConfig(), "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("COPYTOOL_COMMAND") && help.out().contains("--stop-timeout"), help.out());
        Result version = run(noConfig(), "-V");
        assertEquals(0, version.status());
        assertTrue(version.out().startsWith("coordinatool-mover version "), version.out());
    }

    @Test
    void startUpProblemsAreReportedOnOneLine() throws Exception {
        Map<String, String> env = noConfig();
        assertEquals(new Result(1, "", "coordinatool-mover: no copytool command given (coordinatool-mover [options]"
                + " -- COPYTOOL_COMMAND...)\n"), run(env, "-I", "m1"));
        Result noShim = run(env, "--shim", dir.resolve("none.so").toString(), "--", "/bin/true");
        assertEquals(1, noShim.status());
        assertEquals("coordinatool-mover: preload library " + dir.resolve("none.so") + " not found\n", noShim.err());
        Path shim = Files.write(dir.resolve("shim.so"), new byte[0]);
        Result small = run(env, "--shim", shim.toString(), "--hal-size", "100", "--", "/bin/true");
        assertEquals(1, small.status());
        assertTrue(small.err().contains("hal_size 100 is too small"), small.err());
        Result badSeconds = run(env, "--stop-timeout", "-1", "--", "/bin/true");
        assertEquals(1, badSeconds.status());
        assertTrue(badSeconds.err().contains("'-1' is negative"), badSeconds.err());
        Result badConfig = run(Map.of("COORDINATOOL_CONF", dir.resolve("missing.conf").toString()),
                "--shim", shim.toString(), "--", "/bin/true");
        assertEquals(1, badConfig.status());
        assertTrue(badConfig.err().contains("configuration file not found"), badConfig.err());
        Result noExec = run(env, "--shim", shim.toString(), "--socket-dir", dir.toString(), "--",
                dir.resolve("no-such-copytool").toString());
        assertEquals(1, noExec.status());
        assertTrue(noExec.err().contains("no-such-copytool"), noExec.err());
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            Result portInUse = run(env, "--shim", shim.toString(), "--socket-dir", dir.toString(),
                    "--metrics-host", "127.0.0.1", "--metrics-port", Integer.toString(taken.getLocalPort()), "--",
                    "/bin/true");
            assertEquals(1, portInUse.status());
            assertTrue(portInUse.err().startsWith("coordinatool-mover: cannot serve metrics on 127.0.0.1:"
                    + taken.getLocalPort() + ": "), portInUse.err());
        }
        Result badPort = run(env, "--metrics-port", "http", "--", "/bin/true");
        assertEquals(1, badPort.status());
        assertTrue(badPort.err().contains("agent_metrics_port"), badPort.err());
    }

    @Test
    void secondsMayHaveFractions() {
        Mover.SecondsConverter c = new Mover.SecondsConverter();
        assertEquals(Duration.ofMillis(1500), c.convert("1.5"));
        assertEquals(Duration.ZERO, c.convert("0"));
        assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("soon"));
        assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("1e30"));
    }
}
