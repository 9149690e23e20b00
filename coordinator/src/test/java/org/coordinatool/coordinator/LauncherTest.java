package org.coordinatool.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
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
 * The launch scripts in a distribution layout (bin/ next to lib/), run as real processes. lib/
 * holds a jar whose manifest points at this test's class path.
 */
class LauncherTest {

    record Result(int status, String out, String err) {
    }

    @TempDir
    Path dist;

    @BeforeEach
    void layOut() throws IOException {
        Path bin = Files.createDirectories(dist.resolve("bin"));
        for (String script : List.of("lhsmd_coordinatool", "coordinatool-client", "java-classpath.sh")) {
            Files.copy(Path.of("bin", script), bin.resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
        }
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
    }

    Result run(Map<String, String> env, String script, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(dist.resolve("bin").resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("COORDINATOOL_CONF", dist.resolve("none.conf").toString());
        Files.writeString(dist.resolve("none.conf"), "");
        pb.environment().putAll(env);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            }
        });
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher still running");
        return new Result(p.exitValue(), out, err);
    }

    @Test
    void clientRunsFromADistribution() throws Exception {
        Result r = run(Map.of(), "coordinatool-client", "-V");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Coordinatool client version "), r.out());
    }

    @Test
    void serverPassesArgumentsAndExitStatusThrough() throws Exception {
        Result help = run(Map.of(), "lhsmd_coordinatool", "--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().contains("MOUNTPOINT"), help.out());
        Result none = run(Map.of(), "lhsmd_coordinatool");
        assertEquals(1, none.status());
        assertTrue(none.err().contains("lhsmd_coordinatool: no mount point specified"), none.err());
    }

    @Test
    void aWrongJavaHomeIsReported() throws Exception {
        Result r = run(Map.of("JAVA_HOME", dist.resolve("nojava").toString()), "coordinatool-client", "-V");
        assertEquals(1, r.status());
        assertEquals("coordinatool-client: " + dist.resolve("nojava") + "/bin/java not found or not executable"
                + " (check JAVA_HOME)\n", r.err());
    }

    @Test
    void aMissingJavaIsReported() throws Exception {
        Path emptyPath = Files.createDirectories(dist.resolve("emptypath"));
        for (String tool : List.of("bash", "dirname", "readlink")) {
            Path found = Stream.of(System.getenv("PATH").split(File.pathSeparator)).map(d -> Path.of(d, tool))
                    .filter(Files::isExecutable).findFirst().orElseThrow();
            Files.createSymbolicLink(emptyPath.resolve(tool), found);
        }
        Result r = run(Map.of("JAVA_HOME", "", "PATH", emptyPath.toString()), "lhsmd_coordinatool", "-V");
        assertEquals(1, r.status());
        assertEquals("lhsmd_coordinatool: java not found: install Java 17 or later, or set JAVA_HOME\n", r.err());
    }

    @Test
    void missingJarsAreReported() throws Exception {
        Files.delete(dist.resolve("lib").resolve("classpath.jar"));
        Files.delete(dist.resolve("lib"));
        Result r = run(Map.of(), "coordinatool-client", "-V");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("coordinatool-client: no jars found in "), r.err());
    }
}
