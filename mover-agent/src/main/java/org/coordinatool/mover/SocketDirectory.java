package org.coordinatool.mover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory only the agent's user can enter, holding the socket the shim connects to: whoever
 * can connect can take work from the coordinator and report it done.
 */
final class SocketDirectory implements AutoCloseable {

    /** sun_path holds 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;
    static final String SOCKET_NAME = "agent.sock";

    private final Path directory;

    private SocketDirectory(Path directory) {
        this.directory = directory;
    }

    /** Creates a fresh private directory in {@code parent}. */
    static SocketDirectory create(Path parent) throws IOException {
        Path dir = Files.createTempDirectory(parent, "coordinatool-mover.",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        SocketDirectory d = new SocketDirectory(dir);
        int length = d.socket().toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_SOCKET_PATH) {
            d.close();
            throw new IOException("socket path " + d.socket() + " is " + length + " bytes long, more than a Unix"
                    + " socket allows (" + MAX_SOCKET_PATH + "); choose a shorter --socket-dir");
        }
        return d;
    }

    Path socket() {
        return directory.resolve(SOCKET_NAME);
    }

    /** Removes the socket and the directory. */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(socket());
        Files.deleteIfExists(directory);
    }
}
