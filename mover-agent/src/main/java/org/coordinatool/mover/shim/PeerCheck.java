package org.coordinatool.mover.shim;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Objects;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Who may talk to the agent over its socket: processes of the agent's own user (its copytool and
 * the copytool's children) and root, which can reach everything anyway. The socket's directory
 * already keeps others out; this check, on the kernel's credentials of the connecting process
 * (SO_PEERCRED), also holds when the directory was made reachable or a descriptor was passed on.
 */
final class PeerCheck {

    private final UserPrincipal self;
    private final UserPrincipal root;

    PeerCheck(UserPrincipal self, UserPrincipal root) {
        this.self = Objects.requireNonNull(self, "self");
        this.root = Objects.requireNonNull(root, "root");
    }

    /** The owner of {@code socket}, the file the agent just bound, and uid 0. */
    static PeerCheck forSocket(Path socket) throws IOException {
        UserPrincipalLookupService users = socket.getFileSystem().getUserPrincipalLookupService();
        // A numeric name that is no user name is looked up as the uid itself.
        return new PeerCheck(Files.getOwner(socket), users.lookupPrincipalByName("0"));
    }

    boolean allows(UserPrincipal peer) {
        return self.equals(peer) || root.equals(peer);
    }

    /** The user of the process at the other end of {@code channel}. */
    static UnixDomainPrincipal peerOf(SocketChannel channel) throws IOException {
        return channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
    }
}
