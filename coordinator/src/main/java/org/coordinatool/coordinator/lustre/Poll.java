package org.coordinatool.coordinator.lustre;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import org.coordinatool.lustre.Errno;
import org.coordinatool.lustre.LustreException;

/**
 * poll(2) on one descriptor: the copytool's message pipe is a plain file descriptor owned by
 * liblustreapi, which the JDK cannot wait on.
 */
final class Poll {

    /** The libc entry point; {@code nfds_t} is an unsigned long on the LP64 Linux targets. */
    public interface LibC {
        @SaveError
        int poll(@In @Out ByteBuffer fds, long nfds, int timeout);
    }

    private static final short POLLIN = 0x1;
    /** sizeof(struct pollfd): int fd, short events, short revents. */
    private static final int POLLFD_SIZE = 8;

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Poll() {
    }

    /**
     * Waits until {@code fd} is readable, has hung up or failed, at most {@code timeoutMillis}.
     *
     * @return false when the time ran out (or a signal interrupted the wait)
     */
    static boolean readable(int fd, int timeoutMillis) throws LustreException {
        ByteBuffer pollfd = ByteBuffer.allocate(POLLFD_SIZE).order(ByteOrder.nativeOrder());
        pollfd.putInt(0, fd).putShort(4, POLLIN).putShort(6, (short) 0);
        int rc = LIBC.poll(pollfd, 1, timeoutMillis);
        if (rc < 0) {
            int errno = RUNTIME.getLastError();
            if (errno == Errno.EINTR.code()) {
                return false;
            }
            throw new LustreException("poll", "fd " + fd, errno);
        }
        return rc > 0 && pollfd.getShort(6) != 0;
    }
}
