package org.coordinatool.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command-line handling and the start-up failures that happen before Lustre is reached. */
class ServerMainTest {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    int run(Map<String, String> env, String... args) {
        return ServerMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    int run(String... args) throws Exception {
        Path conf = dir.resolve("empty.conf");
        Files.writeString(conf, "");
        return run(Map.of("COORDINATOOL_CONF", conf.toString()), args);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMountPointIsRequired() throws Exception {
        assertEquals(1, run());
        assertEquals("lhsmd_coordinatool: no mount point specified\n", err());
    }

    @Test
    void onlyOneMountPoint() throws Exception {
        assertEquals(1, run("/mnt/a", "/mnt/b"));
        assertEquals("lhsmd_coordinatool: extra argument specified: /mnt/b\n", err());
    }

    @Test
    void unknownOptionsAreRefused() throws Exception {
        assertEquals(1, run("--frobnicate", "/mnt/a"));
        assertTrue(err().startsWith("lhsmd_coordinatool: Unknown option: '--frobnicate'"), err());
        assertEquals(1, err().lines().count());
    }

    @Test
    void versionAndHelp() throws Exception {
        assertEquals(0, run("-V"));
        assertTrue(out.toString(StandardCharsets.UTF_8).matches("Coordinatool version \\S+\n"), out.toString());
        out.reset();
        assertEquals(0, run("-h"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : new String[] {"--verbose", "--quiet", "--config", "--archive", "--port", "--host",
            "--redis-host", "--redis-port", "--client-grace", "--lustreapi", "--version", "--help", "MOUNTPOINT"}) {
            assertTrue(help.contains(option), option + " missing from\n" + help);
        }
    }

    @Test
    void invalidSettingsFailWithOneLine() throws Exception {
        assertEquals(1, run("--redis-port", "70000", "/mnt/a"));
        assertTrue(err().startsWith("lhsmd_coordinatool: ") && err().contains("redis_port"), err());
        assertEquals(1, err().lines().count(), err());
        err.reset();
        assertEquals(1, run("-A", "0", "/mnt/a"));
        assertTrue(err().contains("archive_id"), err());
    }

    @Test
    void aMissingExplicitConfigFileIsFatal() {
        assertEquals(1, run(Map.of(), "-c", dir.resolve("missing.conf").toString(), "/mnt/a"));
        assertTrue(err().startsWith("lhsmd_coordinatool: ") && err().contains("missing.conf"), err());
    }

    @Test
    void anUnloadableLustreLibraryFailsFirstWithOneLine() throws Exception {
        assertEquals(1, run("--lustreapi", dir.resolve("liblustreapi.so.1").toString(), "--redis-host", "", "/mnt/a"));
        assertTrue(err().startsWith("lhsmd_coordinatool: cannot load liblustreapi"), err());
        assertEquals(1, err().lines().count(), err());
    }
}
