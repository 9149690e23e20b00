package org.coordinatool.coordinator.cli;

import jnr.ffi.LibraryLoader;

/** Whether a standard stream is a terminal (the JDK only knows it for stdin and stdout together). */
final class Terminal {

    /** The libc entry point. */
    public interface LibC {
        int isatty(int fd);
    }

    static final int STDOUT = 1;

    private Terminal() {
    }

    /** False also where libc cannot be reached: the answer only decides whether to draw progress. */
    static boolean isTerminal(int fd) {
        try {
            return LibraryLoader.create(LibC.class).load("c").isatty(fd) == 1;
        } catch (LinkageError e) {
            return false;
        }
    }
}
