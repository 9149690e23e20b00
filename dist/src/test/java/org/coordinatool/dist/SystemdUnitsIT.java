package org.coordinatool.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coordinatool.dist.Distribution.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units as the README's Debian instructions install them: the README's commands run
 * under a temporary root, with the host's own system units next to them, then
 * {@code systemd-analyze verify --root} checks the units' directives, the instances and that the
 * programs they start exist and are executable.
 */
class SystemdUnitsIT {

    private static final Pattern UNIT = Pattern.compile("\\b(coordinatool(?:-mover)?@[^ ]+\\.service)\\b");

    @TempDir
    Path root;

    @BeforeEach
    void installAsTheReadmeSays() throws Exception {
        String archive = Distribution.archive().toString();
        String version = Distribution.archive().getFileName().toString()
                .replaceFirst("^coordinatool-(.*)\\.tar\\.gz$", "$1");
        // What a Debian system has before the installation.
        for (String dir : List.of("usr/share", "usr/bin", "etc/systemd/system")) {
            Files.createDirectories(root.resolve(dir));
        }
        List<String> script = new ArrayList<>(List.of("set -eux"));
        for (String command : Readme.commands(Readme.section("### Debian"))) {
            if (command.startsWith("systemctl ")) {
                continue;
            }
            script.add(command.replaceAll("(?<=\\s)/(?=[a-z])", root + "/")
                    .replace("coordinatool-VERSION.tar.gz", archive)
                    .replace("coordinatool-VERSION", "coordinatool-" + version));
        }
        Result install = Distribution.run(Map.of(), List.of("bash", "-c", String.join("\n", script)));
        assertEquals(0, install.status(), install.err());
        Path systemUnits = Files.createDirectories(root.resolve("usr/lib/systemd"));
        Result copy = Distribution.run(Map.of(), List.of("cp", "-a", "/usr/lib/systemd/system", systemUnits.toString()));
        assertEquals(0, copy.status(), copy.err());
    }

    private Result verify(String... units) throws Exception {
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify", "--man=no", "--root=" + root));
        command.addAll(List.of(units));
        return Distribution.run(Map.of(), command);
    }

    private static String escape(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("systemd-escape"));
        command.addAll(List.of(args));
        Result r = Distribution.run(Map.of(), command);
        assertEquals(0, r.status(), r.err());
        return r.out().strip();
    }

    @Test
    void theInstallationHasItsFilesWhereTheUnitsExpectThem() {
        for (String path : List.of("usr/bin/lhsmd_coordinatool", "usr/bin/coordinatool-client",
                "usr/bin/coordinatool-mover", "etc/systemd/system/coordinatool@.service",
                "etc/systemd/system/coordinatool-mover@.service", "etc/coordinatool.conf",
                "etc/sysconfig/coordinatool", "etc/sysconfig/coordinatool-mover",
                "usr/share/coordinatool/lib/libcoordinatool_preload.so")) {
            assertTrue(Files.exists(root.resolve(path)), path);
        }
        assertTrue(Files.isSymbolicLink(root.resolve("usr/bin/lhsmd_coordinatool")));
    }

    @Test
    void mountPathsMakeInstancesThatVerifyCleanly() throws Exception {
        Map<String, String> instances = Map.of("/mnt/lustre", "mnt-lustre", "/lustre/fs-1", "lustre-fs\\x2d1",
                "/mnt/my lustre", "mnt-my\\x20lustre", "/srv/hsm/scratch.2", "srv-hsm-scratch.2");
        for (Map.Entry<String, String> path : instances.entrySet()) {
            String instance = escape("--path", path.getKey());
            assertEquals(path.getValue(), instance, path.getKey());
            assertEquals(path.getKey(), escape("--unescape", "--path", instance));
            Result r = verify("coordinatool@" + instance + ".service");
            assertEquals(new Result(0, "", ""), r, path.getKey());
        }
    }

    @Test
    void theMoverUnitVerifiesCleanly() throws Exception {
        assertEquals(new Result(0, "", ""), verify("coordinatool-mover@posix.service"));
    }

    @Test
    void theUnitsTheReadmeNamesVerifyCleanly() throws Exception {
        List<String> units = new ArrayList<>();
        for (String heading : List.of("## Running under systemd", "### Debian")) {
            for (String command : Readme.commands(Readme.section(heading))) {
                Matcher m = UNIT.matcher(command);
                while (m.find()) {
                    units.add(m.group(1));
                }
            }
        }
        assertFalse(units.isEmpty());
        assertEquals(new Result(0, "", ""), verify(units.toArray(String[]::new)));
        String mountUnit = escape("--path", "--suffix=mount", "/mnt/lustre");
        assertEquals("mnt-lustre.mount", mountUnit, "the README's example instance is /mnt/lustre's");
    }

    /** {@code systemctl enable} works without a running systemd when given the root; --now does not. */
    @Test
    void theUnitsTheReadmeEnablesAreEnabledAtBoot() throws Exception {
        int enabled = 0;
        for (String command : Readme.commands(Readme.section("## Running under systemd"))) {
            Matcher m = Pattern.compile("^systemctl enable --now (\\S+)$").matcher(command);
            if (!m.matches()) {
                continue;
            }
            Result r = Distribution.run(Map.of(), List.of("systemctl", "--root=" + root, "enable", m.group(1)));
            assertEquals(0, r.status(), r.err());
            assertTrue(Files.isSymbolicLink(root.resolve("etc/systemd/system/multi-user.target.wants").resolve(m.group(1))),
                    command);
            enabled++;
        }
        assertEquals(2, enabled, "the README enables a server and a mover");
    }

    @Test
    void aMissingProgramFailsVerification() throws Exception {
        Files.delete(root.resolve("usr/share/coordinatool/bin/lhsmd_coordinatool"));
        Result r = verify("coordinatool@mnt-lustre.service");
        assertTrue(r.status() != 0 && r.err().contains("/usr/bin/lhsmd_coordinatool is not executable"), r.toString());
    }

    /**
     * The hardening stays in place: systemd's exposure score (0 to 10, lower is safer) of each
     * unit, with --threshold in tenths, fails above what the units reach now.
     */
    @Test
    void theHardeningStaysInPlace() throws Exception {
        for (Map.Entry<String, String> unit : Map.of("coordinatool@mnt-lustre.service", "66",
                "coordinatool-mover@posix.service", "82").entrySet()) {
            Result r = Distribution.run(Map.of(), List.of("systemd-analyze", "security", "--offline=true",
                    "--root=" + root, "--threshold=" + unit.getValue(), unit.getKey()));
            assertEquals(0, r.status(), unit.getKey() + "\n" + r.out() + r.err());
        }
    }
}
