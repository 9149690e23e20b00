package org.coordinatool.coordinator.security;

import java.net.InetAddress;
import java.util.List;
import org.coordinatool.config.ServerSecurity;

/**
 * Keeps an unprotected protocol port on the local host: without TLS and authentication anyone
 * who reaches the port can take work, report it done, queue requests or stop the server.
 */
public final class BindCheck {

    private BindCheck() {
    }

    /**
     * @param addresses the addresses about to be bound; the wildcard address counts as exposed
     * @return why binding is refused, or null when it is allowed
     */
    public static String refusal(String host, List<InetAddress> addresses, ServerSecurity security) {
        if (security.secured() || security.allowInsecure()) {
            return null;
        }
        List<InetAddress> exposed = addresses.stream().filter(a -> !a.isLoopbackAddress()).toList();
        if (exposed.isEmpty()) {
            return null;
        }
        String what = host.isEmpty() ? "every address" : "'" + host + "' (" + exposed.get(0).getHostAddress() + ")";
        return "refusing to listen on " + what + ", which is not a loopback address, without protection: set tls"
                + " (with tls_cert and tls_key) and either tls_ca or both agent_token_file and admin_token_file,"
                + " or set allow_insecure on to accept an open port";
    }
}
