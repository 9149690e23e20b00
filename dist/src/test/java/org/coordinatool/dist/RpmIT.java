package org.coordinatool.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.coordinatool.dist.Distribution.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The RPM packages built from the archive, inspected with rpm. */
class RpmIT {

    static Map<String, Path> packages;

    @BeforeAll
    static void findPackages() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of(System.getProperty("dist.rpms")))) {
            packages = new TreeMap<>();
            for (Path rpm : files.filter(f -> f.toString().endsWith(".rpm")).toList()) {
                packages.put(query(rpm, "--qf", "%{NAME}").strip(), rpm);
            }
        }
    }

    private static String query(Path rpm, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("rpm", "-qp"));
        command.addAll(List.of(args));
        command.add(rpm.toString());
        Result r = Distribution.run(Map.of(), command);
        assertEquals(0, r.status(), r.err());
        return r.out();
    }

    /** Each file of the package with its flags ({@code c} config, {@code n} noreplace) and link target. */
    private static Map<String, String> files(String name) throws Exception {
        Path rpm = packages.get(name);
        assertTrue(rpm != null, "no package " + name + " in " + packages.keySet());
        return query(rpm, "--qf", "[%{FILENAMES}\\t%{FILEFLAGS:fflags}\\t%{FILELINKTOS}\\n]").lines()
                .filter(l -> !l.startsWith("/usr/lib/.build-id"))
                .map(l -> l.split("\t", -1))
                .collect(Collectors.toMap(f -> f[0], f -> f[1] + (f[2].isEmpty() ? "" : " -> " + f[2]),
                        (a, b) -> a, TreeMap::new));
    }

    @Test
    void theFivePackagesAreBuilt() {
        assertEquals(List.of("coordinatool-client", "coordinatool-common", "coordinatool-mover", "coordinatool-server",
                "coordinatool-shim"), List.copyOf(packages.keySet()));
    }

    @Test
    void theServerHasItsLauncherUnitAndNoreplaceSysconfig() throws Exception {
        assertEquals(Map.of(
                "/etc/sysconfig/coordinatool", "cn",
                "/usr/bin/lhsmd_coordinatool", " -> ../share/coordinatool/bin/lhsmd_coordinatool",
                "/usr/lib/systemd/system/coordinatool@.service", "",
                "/usr/share/coordinatool/bin/lhsmd_coordinatool", "",
                "/usr/share/coordinatool/grafana", "",
                "/usr/share/coordinatool/grafana/coordinatool-dashboard.json", ""), files("coordinatool-server"));
    }

    @Test
    void theMoverHasItsLauncherUnitAndNoreplaceSysconfig() throws Exception {
        assertEquals(Map.of(
                "/etc/sysconfig/coordinatool-mover", "cn",
                "/usr/bin/coordinatool-mover", " -> ../share/coordinatool/bin/coordinatool-mover",
                "/usr/lib/systemd/system/coordinatool-mover@.service", "",
                "/usr/share/coordinatool/bin/coordinatool-mover", ""), files("coordinatool-mover"));
        assertTrue(query(packages.get("coordinatool-mover"), "--requires").contains("coordinatool-shim = "));
    }

    @Test
    void theClientHasItsLauncher() throws Exception {
        assertEquals(Map.of(
                "/usr/bin/coordinatool-client", " -> ../share/coordinatool/bin/coordinatool-client",
                "/usr/share/coordinatool/bin/coordinatool-client", ""), files("coordinatool-client"));
    }

    @Test
    void theShimIsLinkedWhereTheMoverLooksForIt() throws Exception {
        assertEquals(Map.of(
                "/usr/lib64/coordinatool", "",
                "/usr/lib64/coordinatool/libcoordinatool_preload.so", "",
                "/usr/share/coordinatool/lib/libcoordinatool_preload.so",
                " -> ../../../lib64/coordinatool/libcoordinatool_preload.so"), files("coordinatool-shim"));
    }

    @Test
    void theCommonPackageHasEveryJarOfTheArchiveAndTheNoreplaceConfiguration() throws Exception {
        Map<String, String> common = files("coordinatool-common");
        assertEquals("cn", common.get("/etc/coordinatool.conf"));
        Result listing = Distribution.run(Map.of(), List.of("tar", "-tzf", Distribution.archive().toString()));
        List<String> jars = listing.out().lines().filter(l -> l.endsWith(".jar"))
                .map(l -> "/usr/share/coordinatool/lib/" + Path.of(l).getFileName()).sorted().toList();
        assertTrue(jars.size() > 10, listing.out());
        assertEquals(jars, common.keySet().stream().filter(f -> f.endsWith(".jar")).toList());
        assertTrue(common.containsKey("/usr/share/coordinatool/bin/java-classpath.sh"));
        String configFiles = query(packages.get("coordinatool-common"), "--configfiles");
        assertEquals("/etc/coordinatool.conf\n", configFiles);
    }
}
