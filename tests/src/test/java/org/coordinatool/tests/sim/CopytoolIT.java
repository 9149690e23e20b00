package org.coordinatool.tests.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.coordinatool.hsm.Fid;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.ManagedProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.SimMount;
import org.coordinatool.tests.support.SimMount.HsmFileState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lsim-copytool registered directly with the simulated MDT moves real data through the full HSM
 * cycle: archive, release, restore, remove.
 */
class CopytoolIT {

    private static final int FILES = 100;
    private static final int ARCHIVE_ID = 2;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private SimMount mount;
    private Path hsmRoot;

    @BeforeEach
    void start() throws IOException {
        mount = SimMount.start(work.resolve("mnt"), "cttest", "max_requests=32", "grace_delay=3600");
        hsmRoot = Files.createDirectories(work.resolve("archive"));
    }

    @AfterEach
    void stop() {
        mount.close();
    }

    @Test
    void archiveReleaseRestoreRemoveKeepContentAndStates() throws Exception {
        ManagedProcess ct = mount.startCopytool(hsmRoot, work.resolve("ct.log"),
                "-A", String.valueOf(ARCHIVE_ID), "-u", "0.2");
        List<Path> files = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        Random random = new Random(42);
        Path dir = Files.createDirectories(mount.path("dir/sub"));
        for (int i = 0; i < FILES; i++) {
            byte[] data = new byte[i == 0 ? 0 : random.nextInt(256 * 1024)];
            random.nextBytes(data);
            Path f = (i % 2 == 0 ? dir : mount.root()).resolve("file." + i);
            Files.write(f, data);
            files.add(f);
            contents.add(data);
        }
        long start = System.nanoTime();

        request(files, "hsm_archive", "-a", String.valueOf(ARCHIVE_ID));
        awaitAll(files, "archived", s -> s.has(HsmFileState.EXISTS | HsmFileState.ARCHIVED)
                && !s.has(HsmFileState.DIRTY) && s.archiveId() == ARCHIVE_ID);
        for (int i = 0; i < FILES; i++) {
            Path object = archiveObject(files.get(i));
            assertArrayEquals(contents.get(i), Files.readAllBytes(object), "archive copy of " + files.get(i));
        }

        request(files, "hsm_release");
        awaitAll(files, "released", s -> s.has(HsmFileState.RELEASED | HsmFileState.ARCHIVED));
        for (int i = 0; i < FILES; i++) {
            assertEquals(contents.get(i).length, Files.size(files.get(i)), "released file keeps its size");
        }

        request(files, "hsm_restore");
        awaitAll(files, "restored", s -> !s.has(HsmFileState.RELEASED)
                && s.has(HsmFileState.EXISTS | HsmFileState.ARCHIVED) && s.archiveId() == ARCHIVE_ID);
        for (int i = 0; i < FILES; i++) {
            assertArrayEquals(contents.get(i), Files.readAllBytes(files.get(i)), "restored " + files.get(i));
        }

        request(files, "hsm_remove");
        awaitAll(files, "removed from the archive",
                s -> !s.has(HsmFileState.ARCHIVED) && !s.has(HsmFileState.EXISTS));
        for (Path f : files) {
            assertFalse(Files.exists(archiveObject(f)), "archive object of " + f + " removed");
        }
        assertTrue(ct.isAlive(), "copytool still serving");
        for (String action : List.of("ARCHIVE", "RESTORE", "REMOVE")) {
            assertEquals(FILES, mount.countActions(action, "SUCCEED"), action + " records that succeeded");
        }
        System.out.printf("CopytoolIT: %d files archived, released, restored and removed in %d ms%n",
                FILES, (System.nanoTime() - start) / 1_000_000);
    }

    private Path archiveObject(Path file) {
        Fid fid = Fid.parse(mount.lfs("path2fid", file.toString()).requireOk().stdout().trim());
        return MoverSite.archivePath(hsmRoot, fid);
    }

    private void awaitAll(List<Path> files, String what, Predicate<HsmFileState> ok) {
        Await.value(DEADLINE, "all files " + what, () -> {
            Map<Path, HsmFileState> states = mount.hsmState(files);
            return states.values().stream().filter(ok.negate()).map(HsmFileState::line).toList();
        }, List::isEmpty);
    }

    /** A single HSM request holds at most 52 items and lfs does not split, so neither do we. */
    private void request(List<Path> files, String... commandAndOptions) {
        for (int i = 0; i < files.size(); i += 50) {
            List<String> args = new ArrayList<>(List.of(commandAndOptions));
            files.subList(i, Math.min(files.size(), i + 50)).forEach(p -> args.add(p.toString()));
            mount.lfs(args.toArray(String[]::new)).requireOk();
        }
    }
}
