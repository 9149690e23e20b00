package org.coordinatool.coordinator.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The {@code host:port} rendering used as the id of anonymous clients and in logs. */
final class PeerNames {

    private PeerNames() {
    }

    /** Numeric host (no reverse lookup: it would block an I/O thread) and port. */
    static String of(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
