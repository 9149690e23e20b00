package org.coordinatool.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/coordinatool-mover in a distribution layout (bin/ next to lib/, with the coordinator's
 * launcher helper and the preload library), run as a real process. lib/ holds a jar whose manifest
 * points at this test's class path.
 */
class LauncherTest {

    record Result(int status, String out, String err) {
    }

    @TempDir
    Path dist;

    @BeforeEach
    void layOut() throws IOException {
        Path bin = Files.createDirectories(dist.resolve("bin"));
        Files.copy(Path.of("bin", "coordinatool-mover"), bin.resolve("coordinatool-mover"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(Path.of("..", "coordinator", "bin", "java-classpath.sh"), bin.resolve("java-classpath.sh"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Path lib = Files.createDirectories(dist.resolve("lib"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString())
                .collect(Collectors.joining(" "));
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        try (OutputStream out = Files.newOutputStream(lib.resolve("classpath.jar"));
             JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        Files.write(lib.resolve(Mover.SHIM_NAME), new byte[0]);
    }

    Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(dist.resolve("bin/coordinatool-mover").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Files.writeString(dist.resolve("none.conf"), "");
        pb.environment().put("COORDINATOOL_CONF", dist.resolve("none.conf").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher still running");
        return new Result(p.exitValue(), out, err);
    }

    @Test
    void runsFromADistribution() throws Exception {
        Result r = run("-V");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("coordinatool-mover version "), r.out());
    }

    @Test
    void findsThePreloadLibraryNextToTheJars() throws Exception {
        Result r = run("--socket-dir", dist.toString(), "--max-restarts", "0", "--", "/bin/true");
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("CRASH LOOP"), "the copytool ran and exited at once:\n" + r.err());
    }

    @Test
    void aMissingPreloadLibraryIsReported() throws Exception {
        Files.delete(dist.resolve("lib").resolve(Mover.SHIM_NAME));
        Result r = run("--", "/bin/true");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("coordinatool-mover: preload library not found (looked for "
                + dist.resolve("lib").resolve(Mover.SHIM_NAME)), r.err());
    }
}
