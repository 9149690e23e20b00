package org.coordinatool.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jnr.ffi.LibraryLoader;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmAction;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.lustre.CopyAction;
import org.coordinatool.lustre.Copytool;
import org.coordinatool.lustre.Errno;
import org.coordinatool.lustre.Lustre;
import org.coordinatool.lustre.LustreException;

/**
 * The data-moving half of an agent: executes items received from the coordinator against Lustre
 * through the production jnr-ffi facade, as a copytool behind the original preload library does
 * (begin, copy, end with the real liblustreapi), so that Lustre itself learns the outcome.
 *
 * <p>{@code llapi_hsm_action_begin} needs a copytool handle (it opens files by FID through the
 * handle's mount descriptors). Behind the preload library the handle is a look-alike that never
 * registers with Lustre; here a real registration provides it, for an archive id no request in the
 * tests uses ({@link #HANDLE_ARCHIVE_ID}), so that the MDT never sends this process any work and
 * every request keeps flowing through the coordinator. Lustre accepts progress and completion
 * for a cookie from any client, so which agent registered does not matter.
 *
 * <p>Archives are kept in memory by FID; a restore writes the archived bytes into the volatile file.
 */
public final class LustreMover implements AutoCloseable {

    public static final int HANDLE_ARCHIVE_ID = 31999;

    /** Only {@code close(2)}: the facade hands out duplicated descriptors the caller must close. */
    public interface LibC {
        int close(int fd);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private final Copytool copytool;
    private final Map<Fid, byte[]> archive = new ConcurrentHashMap<>();

    public LustreMover(SimMount mount) {
        try {
            copytool = Lustre.load().registerCopytool(mount.root().toString(), new int[] {HANDLE_ARCHIVE_ID}, 0);
        } catch (LustreException e) {
            throw new AssertionError("cannot register the mover's copytool handle on " + mount.root(), e);
        }
    }

    /** Runs {@code item} to success: archive copies the data out, restore copies it back, remove forgets it. */
    public void complete(ReceivedItem item) {
        start(item).finish();
    }

    /** Begins {@code item} in Lustre, as a copytool does when it picks up an item. */
    public synchronized Transfer start(ReceivedItem item) {
        HsmActionItem hai = item.toHsmActionItem();
        HsmAction action = hai.action().filter(a -> a != HsmAction.CANCEL && a != HsmAction.NONE)
                .orElseThrow(() -> new AssertionError("a mover is never asked to run " + item));
        try {
            return new Transfer(item, action, copytool.begin(hai, -1, 0));
        } catch (LustreException e) {
            throw new AssertionError("mover cannot begin " + item, e);
        }
    }

    /** An item begun in Lustre; it must be finished or cancelled. */
    public final class Transfer {
        private final ReceivedItem item;
        private final HsmAction action;
        private final CopyAction copy;

        private Transfer(ReceivedItem item, HsmAction action, CopyAction copy) {
            this.item = item;
            this.action = action;
            this.copy = copy;
        }

        /** Moves the data and ends the action as successful. */
        public void finish() {
            synchronized (LustreMover.this) {
                try {
                    switch (action) {
                        case ARCHIVE -> archive.put(item.fid(), readAll(copy));
                        case RESTORE -> writeAll(copy, archived(item.fid()));
                        case REMOVE -> archive.remove(item.fid());
                        default -> throw new AssertionError("not an action a mover runs: " + item);
                    }
                    copy.end(item.toHsmActionItem().extent(), Lustre.HP_FLAG_COMPLETED, 0);
                } catch (LustreException e) {
                    throw new AssertionError("mover failed on " + item, e);
                }
            }
        }

        /** Stops without moving anything and ends the action as cancelled, as after a cancel item. */
        public void cancel() {
            synchronized (LustreMover.this) {
                try {
                    copy.end(item.toHsmActionItem().extent(), Lustre.HP_FLAG_COMPLETED, Errno.ECANCELED.code());
                } catch (LustreException e) {
                    throw new AssertionError("cannot end " + item + " as cancelled", e);
                }
            }
        }
    }

    /** The bytes archived for {@code fid}. */
    public byte[] archived(Fid fid) {
        byte[] data = archive.get(fid);
        if (data == null) {
            throw new AssertionError("nothing archived for " + fid);
        }
        return data;
    }

    private static byte[] readAll(CopyAction copy) throws LustreException {
        int fd = copy.dupFd();
        try {
            return Files.readAllBytes(Path.of("/proc/self/fd/" + fd));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            LIBC.close(fd);
        }
    }

    private static void writeAll(CopyAction copy, byte[] data) throws LustreException {
        int fd = copy.dupFd();
        try {
            Files.write(Path.of("/proc/self/fd/" + fd), data, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            LIBC.close(fd);
        }
    }

    @Override
    public void close() throws LustreException {
        copytool.close();
    }
}
