package org.coordinatool.coordinator.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LibraryLoader;

/**
 * Puts the terminal on standard input in character mode without echo, so that {@code --top} sees
 * a key as soon as it is pressed, and puts it back as it was. Only the local-mode flags and the
 * read thresholds change: Ctrl-C still sends SIGINT.
 */
final class KeyboardMode {

    /** The libc entry points; {@code struct termios} is passed as bytes. */
    public interface LibC {
        int tcgetattr(int fd, byte[] termios);

        int tcsetattr(int fd, int optionalActions, byte[] termios);
    }

    static final int STDIN = 0;

    /** glibc's struct termios is 60 bytes on Linux; room to spare. */
    private static final int TERMIOS_SIZE = 128;
    private static final int LFLAG_OFFSET = 12;
    private static final int CC_OFFSET = 17;
    private static final int VTIME = 5;
    private static final int VMIN = 6;
    private static final int ICANON = 0x2;
    private static final int ECHO = 0x8;
    private static final int TCSANOW = 0;

    private final LibC libc;
    private final byte[] saved;

    private KeyboardMode(LibC libc, byte[] saved) {
        this.libc = libc;
        this.saved = saved;
    }

    /** Switches standard input to character mode; null when it is not a terminal or cannot be switched. */
    static KeyboardMode enter() {
        LibC libc;
        try {
            libc = LibraryLoader.create(LibC.class).load("c");
        } catch (LinkageError e) {
            return null;
        }
        byte[] saved = new byte[TERMIOS_SIZE];
        if (libc.tcgetattr(STDIN, saved) != 0) {
            return null;
        }
        byte[] raw = saved.clone();
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        b.putInt(LFLAG_OFFSET, b.getInt(LFLAG_OFFSET) & ~(ICANON | ECHO));
        raw[CC_OFFSET + VMIN] = 1;
        raw[CC_OFFSET + VTIME] = 0;
        if (libc.tcsetattr(STDIN, TCSANOW, raw) != 0) {
            return null;
        }
        return new KeyboardMode(libc, saved);
    }

    /** Puts the terminal back as it was found. */
    void restore() {
        libc.tcsetattr(STDIN, TCSANOW, saved);
    }
}
