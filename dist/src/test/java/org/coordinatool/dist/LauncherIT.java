package org.coordinatool.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.coordinatool.dist.Distribution.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launchers of the unpacked distribution archive, run as real processes. */
class LauncherIT {

    private static final String SERVER = "lhsmd_coordinatool";
    private static final String CLIENT = "coordinatool-client";
    private static final String MOVER = "coordinatool-mover";

    @TempDir
    Path dir;

    Path home;
    Map<String, String> env;

    @BeforeEach
    void unpack() throws Exception {
        home = Distribution.unpack(dir);
        env = new HashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JAVA_OPTS", null);
        env.put("COORDINATOOL_CONF", Distribution.emptyConfig(dir).toString());
    }

    Result run(String program, String... args) throws Exception {
        return Distribution.run(env, home.resolve("bin").resolve(program), args);
    }

    @Test
    void eachLauncherRunsThroughASymlinkFromAnotherDirectory() throws Exception {
        Path usrBin = Files.createDirectories(dir.resolve("usr/bin"));
        Map<String, String> versions = Map.of(SERVER, "Coordinatool version ", CLIENT, "Coordinatool client version ",
                MOVER, "coordinatool-mover version ");
        for (Map.Entry<String, String> program : versions.entrySet()) {
            Path link = Files.createSymbolicLink(usrBin.resolve(program.getKey()),
                    home.resolve("bin").resolve(program.getKey()));
            Result version = Distribution.run(env, link, "-V");
            assertEquals(0, version.status(), version.err());
            assertTrue(version.out().startsWith(program.getValue()), version.out());
            Result help = Distribution.run(env, link, "--help");
            assertEquals(0, help.status(), help.err());
            assertTrue(help.out().startsWith("Usage: " + program.getKey()), help.out());
        }
    }

    @Test
    void theServerPassesArgumentsAndItsExitStatusThrough() throws Exception {
        Result none = run(SERVER);
        assertEquals(1, none.status());
        assertEquals("lhsmd_coordinatool: no mount point specified\n", none.err());
    }

    @Test
    void theServerHasEverythingItNeedsUpToLoadingLiblustreapi() throws Exception {
        env.put("LD_LIBRARY_PATH", dir.toString());
        Result r = run(SERVER, "--redis-host", "", "-p", "0", dir.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("lhsmd_coordinatool: cannot load liblustreapi (LD_LIBRARY_PATH=" + dir + ")"),
                r.err());
    }

    @Test
    void javaOptsReachTheJvm() throws Exception {
        env.put("JAVA_OPTS", "-XshowSettings:properties -Dcoordinatool.test=yes");
        Result r = run(CLIENT, "-V");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("coordinatool.test = yes"), r.err());
        assertTrue(r.err().contains(home.resolve("bin/../lib").toString()), r.err());
    }

    @Test
    void javaHomeChoosesTheJava() throws Exception {
        Path java = fakeJava("fake", null, "echo 'openjdk version \"21.0.1\" 2023-10-17' >&2; echo ran \"$@\"");
        env.put("JAVA_HOME", java.getParent().getParent().toString());
        Result r = run(CLIENT, "-V");
        assertEquals(0, r.status(), r.err());
        assertEquals("ran -cp " + home.resolve("bin/../lib/*") + " org.coordinatool.coordinator.cli.CoordinatoolClient -V\n",
                r.out());
    }

    @Test
    void aJavaOlderThan17IsRefused() throws Exception {
        Path java = fakeJava("jdk-11", "JAVA_VERSION=\"11.0.2\"", "echo ran");
        env.put("JAVA_HOME", java.getParent().getParent().toString());
        Result r = run(SERVER, "-V");
        assertEquals(1, r.status());
        assertEquals("lhsmd_coordinatool: " + java + " is Java 11.0.2; coordinatool needs Java 17 or later (set"
                + " JAVA_HOME)\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void aJavaWithoutReleaseFileIsAskedItsVersion() throws Exception {
        Path java = fakeJava("jre8", null, "echo 'java version \"1.8.0_402\"' >&2");
        env.put("JAVA_HOME", null);
        env.put("PATH", java.getParent() + File.pathSeparator + System.getenv("PATH"));
        Result r = run(MOVER, "-V");
        assertEquals(1, r.status());
        assertEquals("coordinatool-mover: " + java + " is Java 1.8.0_402; coordinatool needs Java 17 or later"
                + " (set JAVA_HOME)\n", r.err());
    }

    @Test
    void aJavaOfUnknownVersionIsRefused() throws Exception {
        Path java = fakeJava("odd", null, "echo 'no version here' >&2");
        env.put("JAVA_HOME", java.getParent().getParent().toString());
        Result r = run(CLIENT, "-V");
        assertEquals(1, r.status());
        assertEquals("coordinatool-client: cannot tell which Java version " + java + " is; coordinatool needs"
                + " Java 17 or later\n", r.err());
    }

    @Test
    void aWrongJavaHomeIsReported() throws Exception {
        env.put("JAVA_HOME", dir.resolve("nojava").toString());
        Result r = run(CLIENT, "-V");
        assertEquals(1, r.status());
        assertEquals("coordinatool-client: " + dir.resolve("nojava") + "/bin/java not found or not executable"
                + " (check JAVA_HOME)\n", r.err());
    }

    @Test
    void aMissingJavaIsReported() throws Exception {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("bash", "dirname", "readlink")) {
            Path found = Stream.of(System.getenv("PATH").split(File.pathSeparator)).map(d -> Path.of(d, tool))
                    .filter(Files::isExecutable).findFirst().orElseThrow();
            Files.createSymbolicLink(tools.resolve(tool), found);
        }
        env.put("JAVA_HOME", null);
        env.put("PATH", tools.toString());
        Result r = run(SERVER, "-V");
        assertEquals(1, r.status());
        assertEquals("lhsmd_coordinatool: java not found: install Java 17 or later, or set JAVA_HOME\n", r.err());
    }

    @Test
    void missingJarsAreReported() throws Exception {
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            for (Path f : lib.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(home.resolve("lib"));
        Result r = run(CLIENT, "-V");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("coordinatool-client: no jars found in "), r.err());
    }

    @Test
    void theMoverRunsItsCopytoolWithThePreloadLibraryOfTheDistribution() throws Exception {
        Path copytool = dir.resolve("copytool");
        Files.writeString(copytool, "#!/bin/sh\necho \"$LD_PRELOAD\" > '" + dir.resolve("preloaded") + "'\n");
        Files.setPosixFilePermissions(copytool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result r = run(MOVER, "--socket-dir", dir.toString(), "--max-restarts", "0", "--", copytool.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("CRASH LOOP"), "the copytool ran and exited at once:\n" + r.err());
        assertEquals(home.resolve("lib/libcoordinatool_preload.so").toString(),
                Files.readString(dir.resolve("preloaded")).strip());
    }

    @Test
    void aMissingPreloadLibraryIsReported() throws Exception {
        Files.delete(home.resolve("lib/libcoordinatool_preload.so"));
        Result r = run(MOVER, "--", "/bin/true");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("coordinatool-mover: preload library not found (looked for "
                + home.resolve("lib/libcoordinatool_preload.so")), r.err());
    }

    /**
     * A Java installation that is not one: {@code bin/java} runs {@code body}, and {@code release}
     * is written when given. Real old Java versions cannot be installed next to the build's.
     */
    private Path fakeJava(String name, String release, String body) throws Exception {
        Path javaHome = Files.createDirectories(dir.resolve(name));
        Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (release != null) {
            Files.writeString(javaHome.resolve("release"), release + "\n");
        }
        return java;
    }
}
