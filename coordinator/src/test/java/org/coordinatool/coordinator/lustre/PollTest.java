package org.coordinatool.coordinator.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** poll(2) on a real pipe, the kind of descriptor liblustreapi hands out. */
class PollTest {

    public interface Pipes {
        int pipe(int[] fds);

        long write(int fd, byte[] buf, long count);

        int close(int fd);
    }

    static final Pipes LIBC = LibraryLoader.create(Pipes.class).load("c");

    final int[] fds = new int[2];

    @BeforeEach
    void open() {
        assertEquals(0, LIBC.pipe(fds));
    }

    @AfterEach
    void close() {
        LIBC.close(fds[0]);
        LIBC.close(fds[1]);
    }

    @Test
    void timesOutOnAnEmptyPipe() throws Exception {
        long start = System.nanoTime();
        assertFalse(Poll.readable(fds[0], 50));
        assertTrue(System.nanoTime() - start >= 40_000_000L);
    }

    @Test
    void seesDataAndHangUp() throws Exception {
        assertEquals(1, LIBC.write(fds[1], new byte[] {1}, 1));
        assertTrue(Poll.readable(fds[0], 5000));
        LIBC.close(fds[1]);
        fds[1] = -1;
        assertTrue(Poll.readable(fds[0], 5000));
    }

    @Test
    void aClosedDescriptorIsReportedSoThatTheReadFails() throws Exception {
        LIBC.close(fds[0]);
        assertTrue(Poll.readable(fds[0], 5000));
        fds[0] = -1;
    }
}
