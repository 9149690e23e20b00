package org.coordinatool.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.coordinatool.hsm.Fid;
import org.coordinatool.lustre.Lustre;
import org.coordinatool.lustre.LustreException;
import org.coordinatool.tests.support.SimMount.HsmFileState;

/**
 * A simulated filesystem served by real coordinator processes and scripted agents whose data
 * mover completes work through liblustreapi. Everything it started is stopped by {@link #close}:
 * agents, coordinators, the mover's registration, then the mount.
 */
public final class CoordinatorSite implements AutoCloseable {

    public static final Duration DEADLINE = Duration.ofSeconds(20);

    /**
     * As recommended for a coordinator in userspace: requests wait in its queues rather than in
     * Lustre's, so Lustre hands over everything at once and never times a request out.
     */
    private static final String[] LUSTRE_TUNABLES = {"max_requests=1000", "loop_period=1",
        "active_request_timeout=3600"};

    private final Path work;
    private final SimMount mount;
    private final LustreMover mover;
    private final Lustre lustre = Lustre.load();
    private final List<CoordinatorProcess> coordinators = new ArrayList<>();
    private final List<ProtocolAgent> agents = new ArrayList<>();

    private CoordinatorSite(Path work, SimMount mount) {
        this.work = work;
        this.mount = mount;
        this.mover = new LustreMover(mount);
    }

    public static CoordinatorSite start(Path work, String fsname) {
        SimMount mount = SimMount.start(work.resolve("mnt"), fsname, LUSTRE_TUNABLES);
        try {
            return new CoordinatorSite(work, mount);
        } catch (RuntimeException | Error e) {
            mount.close();
            throw e;
        }
    }

    public SimMount mount() {
        return mount;
    }

    public LustreMover mover() {
        return mover;
    }

    public Path work() {
        return work;
    }

    /** Settings for a coordinator of this mount, without Redis until told otherwise. */
    public CoordinatorProcess.Settings coordinator() {
        return CoordinatorProcess.on(mount, work.resolve("coordinator"));
    }

    /** Starts a coordinator (stopped by {@link #close}). */
    public CoordinatorProcess start(CoordinatorProcess.Settings settings) {
        return track(settings.start());
    }

    public CoordinatorProcess restart(CoordinatorProcess crashed) {
        return track(crashed.restart());
    }

    private CoordinatorProcess track(CoordinatorProcess c) {
        coordinators.add(c);
        return c;
    }

    /** A new connection to {@code coordinator} (closed by {@link #close}). */
    public ProtocolAgent connect(CoordinatorProcess coordinator, String name) {
        ProtocolAgent a = ProtocolAgent.connect(coordinator.port(), name);
        agents.add(a);
        return a;
    }

    /** A connected agent that said {@code ehlo} with id {@code id} and these archive ids (none: any). */
    public ProtocolAgent agent(CoordinatorProcess coordinator, String id, Integer... archiveIds) {
        ProtocolAgent a = connect(coordinator, id);
        a.hello(id, Arrays.asList(archiveIds), List.of());
        return a;
    }

    /** {@code n} new files {@code prefix.i} with distinct contents, in the mount. */
    public List<Path> createFiles(String prefix, int n) {
        List<Path> files = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Path f = mount.path(prefix + "." + i);
                Files.writeString(f, "content of " + prefix + "." + i + "\n");
                files.add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * {@code lfs <command> [options] FILE...}; one HSM request holds at most 52 items and lfs does
     * not split, so neither do we.
     */
    public void lfs(String command, List<Path> files, String... options) {
        for (int i = 0; i < files.size(); i += 50) {
            List<String> args = new ArrayList<>();
            args.add(command);
            args.addAll(List.of(options));
            files.subList(i, Math.min(files.size(), i + 50)).forEach(p -> args.add(p.toString()));
            mount.lfs(args.toArray(String[]::new)).requireOk();
        }
    }

    public Fid fid(Path file) {
        try {
            return lustre.path2fid(file.toString());
        } catch (LustreException e) {
            throw new AssertionError("path2fid " + file, e);
        }
    }

    /** FID of each file, in order. */
    public Map<Fid, Path> fids(List<Path> files) {
        Map<Fid, Path> out = new LinkedHashMap<>();
        files.forEach(f -> out.put(fid(f), f));
        return out;
    }

    /** Waits until every file's {@code lfs hsm_state} satisfies {@code ok}. */
    public void awaitStates(List<Path> files, String what, Predicate<HsmFileState> ok) {
        Await.value(DEADLINE, "all files " + what, () -> mount.hsmState(files).values().stream()
                .filter(ok.negate()).map(HsmFileState::line).toList(), List::isEmpty);
    }

    public void awaitArchived(List<Path> files, int archiveId) {
        awaitStates(files, "archived in archive " + archiveId,
                s -> s.has(HsmFileState.EXISTS | HsmFileState.ARCHIVED) && !s.has(HsmFileState.DIRTY)
                        && s.archiveId() == archiveId);
    }

    /** Asserts that what the mover archived for each file is the file's content. */
    public void assertArchivedContents(List<Path> files) {
        for (Path f : files) {
            byte[] archived = mover.archived(fid(f));
            String expected = read(f);
            String actual = new String(archived, StandardCharsets.UTF_8);
            if (!expected.equals(actual)) {
                throw new AssertionError("archive copy of " + f + ": expected '" + expected + "' but was '"
                        + actual + "'");
            }
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code status} over {@code connection} until {@code accept} holds; returns that reply. */
    public static JsonNode awaitStatus(ProtocolAgent connection, String what, Predicate<JsonNode> accept) {
        return Await.value(DEADLINE, what, () -> connection.status(4), accept);
    }

    /** Waits until the coordinator holds {@code n} pending archives (queued, not running). */
    public static JsonNode awaitPending(ProtocolAgent connection, String type, int n) {
        return awaitStatus(connection, n + " pending " + type, s -> s.path("pending_" + type).asInt() == n);
    }

    /** Runs {@code coordinator/bin/coordinatool-client} against {@code coordinator}. */
    public static ProcessResult client(CoordinatorProcess coordinator, byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(CoordinatorProcess.launcher("coordinatool-client").toString(),
                "-H", CoordinatorProcess.HOST, "-p", Integer.toString(coordinator.port()), "--timeout", "20"));
        cmd.addAll(List.of(args));
        return Processes.run(DEADLINE.plusSeconds(10), cmd, CoordinatorProcess.environment(), null, stdin);
    }

    @Override
    public void close() throws LustreException {
        agents.forEach(ProtocolAgent::close);
        coordinators.forEach(CoordinatorProcess::close);
        try {
            mover.close();
        } finally {
            mount.close();
        }
    }
}
