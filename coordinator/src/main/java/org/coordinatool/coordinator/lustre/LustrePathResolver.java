package org.coordinatool.coordinator.lustre;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.coordinatool.coordinator.core.PathResolver;
import org.coordinatool.hsm.Fid;
import org.coordinatool.lustre.Errno;
import org.coordinatool.lustre.Lustre;
import org.coordinatool.lustre.LustreException;

/**
 * Resolves paths with liblustreapi on worker threads (a stat and an ioctl that may block on the
 * metadata server), and hands each answer to the state loop. A path must name a file of the
 * filesystem this server coordinates.
 */
public final class LustrePathResolver implements PathResolver, AutoCloseable {

    /** errno for a path that is not in the coordinated filesystem: EXDEV ("Invalid cross-device link"). */
    static final int EXDEV = 18;

    /** Resolutions running at once: one stuck on the metadata server does not hold the others. */
    private static final int THREADS = 2;

    private final Lustre lustre;
    private final String fsname;
    private final Executor stateLoop;
    private final ExecutorService workers = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "path-resolver");
        t.setDaemon(true);
        return t;
    });

    public LustrePathResolver(Lustre lustre, String fsname, Executor stateLoop) {
        this.lustre = lustre;
        this.fsname = fsname;
        this.stateLoop = stateLoop;
    }

    @Override
    public void resolve(String path, Consumer<Resolution> done) {
        try {
            workers.execute(() -> {
                Resolution r = resolveNow(path);
                stateLoop.execute(() -> done.accept(r));
            });
        } catch (RejectedExecutionException e) {
            done.accept(Resolution.failed(Errno.ESHUTDOWN.code(), "the server is shutting down"));
        }
    }

    /** Blocking: asks the filesystem. */
    Resolution resolveNow(String path) {
        Fid fid;
        try {
            fid = lustre.path2fid(path);
        } catch (LustreException e) {
            if (e.is(Errno.ENOENT) || e.is(Errno.ENOTDIR)) {
                return Resolution.failed(e.errno(), "no such file: " + path);
            }
            if (fsnameOf(path) == null) {
                return Resolution.failed(EXDEV, path + " is not in a Lustre filesystem");
            }
            return Resolution.failed(e.errno(), "cannot read the FID of " + path + ": " + e.getMessage());
        }
        String fs = fsnameOf(path);
        if (!fsname.equals(fs)) {
            return Resolution.failed(EXDEV, path + " is not in filesystem " + fsname
                    + (fs == null ? "" : " (it is in " + fs + ")"));
        }
        return Resolution.of(fid);
    }

    private String fsnameOf(String path) {
        try {
            return lustre.searchFsname(path);
        } catch (LustreException e) {
            return null;
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
