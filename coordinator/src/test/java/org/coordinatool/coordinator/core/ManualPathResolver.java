package org.coordinatool.coordinator.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.coordinatool.hsm.Fid;

/** Path resolutions that wait until the test completes them, as they would wait for the filesystem. */
final class ManualPathResolver implements PathResolver {

    /** The files the resolver knows; any other path is not found. */
    final Map<String, Fid> files = new HashMap<>();
    private final Deque<Pending> pending = new ArrayDeque<>();

    private record Pending(String path, Consumer<Resolution> done) {
    }

    @Override
    public void resolve(String path, Consumer<Resolution> done) {
        pending.addLast(new Pending(path, done));
    }

    int pendingCount() {
        return pending.size();
    }

    /** Answers the oldest resolution still waiting. */
    void completeNext() {
        Pending p = pending.removeFirst();
        Fid fid = files.get(p.path());
        p.done().accept(fid == null ? Resolution.failed(2, "no such file: " + p.path()) : Resolution.of(fid));
    }
}
