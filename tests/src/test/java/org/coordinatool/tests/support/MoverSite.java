package org.coordinatool.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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

    /** Status verbosity (the debug log level) from which the coordinator dumps its queues. */
    public static final int DUMP_VERBOSITY = 6;

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

    /** The archive tree of a mover that has one of its own, named after its client id. */
    public Path archiveOf(String moverId) {
        return site.work().resolve("archives").resolve(moverId);
    }

    /**
     * Like {@link #mover} but archiving into {@link #archiveOf} its id, so that which mover moved
     * what shows in the archive trees (a restore or remove must then go to the mover holding the copy).
     */
    public MoverProcess.Settings moverWithOwnArchive(String id, CoordinatorProcess coordinator) {
        return mover(id, coordinator).archive(archiveOf(id));
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

    /** Waits until every file is archived in archive {@code archiveId}. */
    public void awaitArchived(List<Path> files, int archiveId) {
        awaitStates(files, "archived in archive " + archiveId, s -> archived(s) && s.archiveId() == archiveId);
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
        assertContents(files);
    }

    /** Each file holds what {@link #createFiles} wrote into it. */
    public void assertContents(List<Path> files) {
        for (Path f : files) {
            assertBytes("contents of " + f, contents.get(f), read(f));
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
        return dataFiles(archive);
    }

    /** Regular files in the archive tree {@code root}; shadow-tree symbolic links are not followed. */
    public static List<Path> dataFiles(Path root) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What lsim-copytool stored for each file (its default v1 layout) equals the file's contents. */
    public void assertArchiveCopies(List<Path> files) {
        assertArchiveCopies(files, archive);
    }

    /** Like {@link #assertArchiveCopies(List)} in the archive tree {@code root}. */
    public void assertArchiveCopies(List<Path> files, Path root) {
        for (Path f : files) {
            Path copy = archivePath(root, site.fid(f));
            if (!Files.exists(copy)) {
                throw new AssertionError("no archive copy of " + f + " in " + root);
            }
            assertBytes("archive copy of " + f, contents.get(f), read(copy));
        }
    }

    /** Those of {@code files} that have a copy in the archive tree {@code root}. */
    public List<Path> copiedInto(Path root, List<Path> files) {
        return files.stream().filter(f -> Files.exists(archivePath(root, site.fid(f)))).toList();
    }

    /** lsim-copytool's v1 archive layout: six 16-bit groups of oid and seq, then the FID. */
    public Path archivePath(Fid fid) {
        return archivePath(archive, fid);
    }

    /** Where lsim-copytool's v1 layout puts the copy of {@code fid} in the archive tree {@code root}. */
    public static Path archivePath(Path root, Fid fid) {
        long seq = fid.seq();
        int oid = fid.oid();
        return root.resolve(String.format("%04x/%04x/%04x/%04x/%04x/%04x/%s", oid & 0xffff, (oid >>> 16) & 0xffff,
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
        return status(coordinator, 4);
    }

    /** The status at log level {@code verbose}: from {@link #DUMP_VERBOSITY} on, with every queue dumped. */
    public static JsonNode status(CoordinatorProcess coordinator, int verbose) {
        try (ProtocolAgent admin = ProtocolAgent.connect(coordinator.port(), "status")) {
            admin.hello(null, List.of(), List.of());
            return admin.status(verbose);
        }
    }

    /** Polls the coordinator's status (queues dumped) until {@code accept} holds; returns that status. */
    public static JsonNode awaitStatus(CoordinatorProcess coordinator, String what, Predicate<JsonNode> accept) {
        return Await.value(DEADLINE, what, () -> status(coordinator, DUMP_VERBOSITY), accept);
    }

    /**
     * Waits until mover {@code id} has a {@code recv} outstanding: its copytool is blocked in its
     * receive call, so work sent now reaches the copytool even if it is frozen right after.
     */
    public static JsonNode awaitWaiting(CoordinatorProcess coordinator, String id) {
        return awaitStatus(coordinator, id + " waiting for work",
                s -> "waiting".equals(client(s, id).path("status").asText()));
    }

    /** The data of each entry of a status dump (up to its first NUL byte, as dumped). */
    public static List<String> dumpedData(JsonNode dump) {
        List<String> data = new ArrayList<>();
        for (JsonNode entry : dump) {
            if (!entry.has("hai_data")) {
                throw new AssertionError("dump entry without text data: " + entry);
            }
            data.add(entry.get("hai_data").asText());
        }
        return data;
    }

    /**
     * Queues Lustre's active requests (the listing of {@code lsim active_requests}) into
     * {@code coordinator} with {@code coordinatool-client -Q}, as an operator does after
     * restarting a server without Redis; returns how many lines were queued.
     */
    public int requeueActiveRequests(CoordinatorProcess coordinator) {
        String listing = mount().lsim("active_requests").requireOk().stdout();
        int lines = (int) listing.lines().count();
        ProcessResult queued = CoordinatorSite.client(coordinator, listing.getBytes(StandardCharsets.UTF_8), "-Q");
        if (!queued.ok() || !queued.stdout().contains("enqueued " + lines + ", skipped 0, rejected 0")) {
            throw new AssertionError("queueing " + lines + " active requests: " + queued.describe());
        }
        return lines;
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

    /** Sets the lock mode (0 unlocked, 1 locked, 2 lock-and-quit), as {@code coordinatool-client --lock} does. */
    public static void lock(CoordinatorProcess coordinator, int mode) {
        try (ProtocolAgent admin = ProtocolAgent.connect(coordinator.port(), "lock")) {
            admin.hello(null, List.of(), List.of());
            admin.send(ProtocolAgent.message("lock").put("locked", mode));
            ProtocolAgent.requireSuccess(admin.awaitReply("lock", ProtocolAgent.REPLY_TIMEOUT));
        }
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
