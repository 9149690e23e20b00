package org.coordinatool.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.coordinatool.hsm.Fid;
import org.coordinatool.tests.support.SimMount.HsmFileState;

/**
 * A simulated filesystem with real coordinators and real movers ({@code coordinatool-mover}
 * running the unmodified {@code lsim-copytool} under the preload shim), sharing one archive tree
 * as movers share their backend. Files are created with random contents that are kept, so that
 * archive copies and restored files can be compared byte for byte. {@link #close} stops movers,
 * then coordinators and the mount.
 */
public final class MoverSite implements AutoCloseable {

    /** Generous for a hundred files through real processes on a loaded two-core machine. */
    public static final Duration DEADLINE = Duration.ofSeconds(60);

    private final CoordinatorSite site;
    private final Path archive;
    private final List<MoverProcess> movers = new ArrayList<>();
    private final Map<Path, byte[]> contents = new LinkedHashMap<>();
    private final Random random = new Random(4);

    private MoverSite(CoordinatorSite site) {
        this.site = site;
        this.archive = site.work().resolve("archive");
    }

    public static MoverSite start(Path work, String fsname) {
        return new MoverSite(CoordinatorSite.start(work, fsname));
    }

    public CoordinatorSite site() {
        return site;
    }

    public SimMount mount() {
        return site.mount();
    }

    public Path archive() {
        return archive;
    }

    /** Settings for a coordinator of this mount; without Redis until told otherwise. */
    public CoordinatorProcess.Settings coordinator() {
        return site.coordinator();
    }

    public CoordinatorProcess start(CoordinatorProcess.Settings settings) {
        return site.start(settings);
    }

    public CoordinatorProcess restart(CoordinatorProcess stopped) {
        return site.restart(stopped);
    }

    /** Settings for a mover {@code id} of {@code coordinator}, at most 3 requests of each kind at once. */
    public MoverProcess.Settings mover(String id, CoordinatorProcess coordinator) {
        return MoverProcess.of(id, coordinator.port(), mount(), archive, site.work().resolve("movers"))
                .mover("--max-archive", "3", "--max-restore", "3", "--max-remove", "3");
    }

    /** Starts a mover (stopped by {@link #close}). */
    public MoverProcess start(MoverProcess.Settings settings) {
        return track(settings.start());
    }

    public MoverProcess restart(MoverProcess stopped) {
        return track(stopped.restart());
    }

    private MoverProcess track(MoverProcess m) {
        movers.add(m);
        return m;
    }

    /** {@code n} files {@code prefix.i} of 1 to {@code maxSize} random bytes. */
    public List<Path> createFiles(String prefix, int n, int maxSize) {
        List<Path> files = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                byte[] data = new byte[1 + random.nextInt(maxSize)];
                random.nextBytes(data);
                Path f = mount().path(prefix + "." + i);
                Files.write(f, data);
                contents.put(f, data);
                files.add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** {@code lfs <command> [options] FILE...}, in requests of at most 50 files. */
    public void lfs(String command, List<Path> files, String... options) {
        site.lfs(command, files, options);
    }

    public void awaitStates(List<Path> files, String what, Predicate<HsmFileState> ok) {
        Await.value(DEADLINE, "all files " + what, () -> mount().hsmState(files).values().stream()
                .filter(ok.negate()).map(HsmFileState::line).toList(), List::isEmpty);
    }

    public static boolean archived(HsmFileState s) {
        return s.has(HsmFileState.EXISTS | HsmFileState.ARCHIVED) && !s.has(HsmFileState.DIRTY);
    }

    /** How many of {@code files} are archived now. */
    public long countArchived(List<Path> files) {
        return mount().hsmState(files).values().stream().filter(MoverSite::archived).count();
    }

    /** Archives, waits until every file is archived and checks every archive copy byte for byte. */
    public void archiveAll(List<Path> files) {
        lfs("hsm_archive", files);
        awaitStates(files, "archived", MoverSite::archived);
        assertArchiveCopies(files);
    }

    /** Releases, restores, waits until every file is back and checks every file's bytes. */
    public void releaseAndRestoreAll(List<Path> files) {
        lfs("hsm_release", files);
        awaitStates(files, "released", s -> s.has(HsmFileState.RELEASED));
        lfs("hsm_restore", files);
        awaitStates(files, "restored", s -> archived(s) && !s.has(HsmFileState.RELEASED));
        for (Path f : files) {
            assertBytes(f + " after restore", contents.get(f), read(f));
        }
    }

    /** Removes the archive copies, waits until Lustre forgot them and checks the archive holds no data. */
    public void removeAll(List<Path> files) {
        lfs("hsm_remove", files);
        awaitStates(files, "removed from the archive", s -> !s.has(HsmFileState.ARCHIVED | HsmFileState.EXISTS));
        List<Path> left = dataFiles();
        if (!left.isEmpty()) {
            throw new AssertionError("archive files left after remove: " + left);
        }
    }

    /** Regular files in the archive tree (lsim-copytool's shadow tree holds symbolic links only). */
    public List<Path> dataFiles() {
        if (!Files.exists(archive)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(archive)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What lsim-copytool stored for each file (its default v1 layout) equals the file's contents. */
    public void assertArchiveCopies(List<Path> files) {
        for (Path f : files) {
            assertBytes("archive copy of " + f, contents.get(f), read(archivePath(site.fid(f))));
        }
    }

    /** lsim-copytool's v1 archive layout: six 16-bit groups of oid and seq, then the FID. */
    public Path archivePath(Fid fid) {
        long seq = fid.seq();
        int oid = fid.oid();
        return archive.resolve(String.format("%04x/%04x/%04x/%04x/%04x/%04x/%s", oid & 0xffff, (oid >>> 16) & 0xffff,
                seq & 0xffff, (seq >>> 16) & 0xffff, (seq >>> 32) & 0xffff, (seq >>> 48) & 0xffff,
                fid.formatNoBrace()));
    }

    private static void assertBytes(String what, byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionError(what + ": " + actual.length + " bytes differ from the " + expected.length
                    + " written");
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The coordinator's status, asked on a connection of its own. */
    public static JsonNode status(CoordinatorProcess coordinator) {
        try (ProtocolAgent admin = ProtocolAgent.connect(coordinator.port(), "status")) {
            admin.hello(null, List.of(), List.of());
            return admin.status(4);
        }
    }

    /** The status entry of client {@code id}, or a missing node. */
    public static JsonNode client(JsonNode status, String id) {
        for (JsonNode c : status.path("clients")) {
            if (id.equals(c.path("client_id").asText())) {
                return c;
            }
        }
        return status.path("no such client");
    }

    /** Waits until the coordinator has nothing running and nothing pending. */
    public static JsonNode awaitIdle(CoordinatorProcess coordinator) {
        return Await.value(DEADLINE, "the coordinator with nothing running or pending", () -> status(coordinator),
                s -> Stream.of("running_", "pending_").flatMap(p -> Stream.of(p + "archive", p + "restore",
                        p + "remove")).allMatch(k -> s.path(k).asLong() == 0));
    }

    @Override
    public void close() throws Exception {
        try {
            movers.forEach(MoverProcess::close);
        } finally {
            site.close();
        }
    }
}
