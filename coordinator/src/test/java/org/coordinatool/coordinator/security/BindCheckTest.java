package org.coordinatool.coordinator.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.coordinatool.config.ServerSecurity;
import org.coordinatool.config.TlsSettings;
import org.junit.jupiter.api.Test;

/** An open port stays on loopback addresses unless protected or explicitly allowed. */
class BindCheckTest {

    static final TlsSettings TLS = new TlsSettings(true, Optional.of(Path.of("s.pem")), Optional.of(Path.of("s.key")),
            Optional.empty());
    static final TlsSettings MUTUAL_TLS = new TlsSettings(true, TLS.certificate(), TLS.key(),
            Optional.of(Path.of("ca.pem")));

    static List<InetAddress> addresses(String... literals) throws Exception {
        List<InetAddress> list = new java.util.ArrayList<>();
        for (String l : literals) {
            list.add(InetAddress.getByName(l));
        }
        return list;
    }

    @Test
    void loopbackIsAlwaysAllowed() throws Exception {
        assertNull(BindCheck.refusal("localhost", addresses("127.0.0.1", "::1"), ServerSecurity.NONE));
    }

    @Test
    void anExposedOpenPortIsRefused() throws Exception {
        assertEquals("refusing to listen on 'coordinatool' (192.0.2.7), which is not a loopback address, without"
                        + " protection: set tls (with tls_cert and tls_key) and either tls_ca or both agent_token_file"
                        + " and admin_token_file, or set allow_insecure on to accept an open port",
                BindCheck.refusal("coordinatool", addresses("127.0.1.1", "192.0.2.7"), ServerSecurity.NONE));
        String wildcard = BindCheck.refusal("", addresses("0.0.0.0"), ServerSecurity.NONE);
        assertTrue(wildcard.startsWith("refusing to listen on every address, which is not a loopback address"), wildcard);
    }

    @Test
    void halfProtectionIsNoProtection() throws Exception {
        List<InetAddress> exposed = addresses("192.0.2.7");
        Optional<Path> token = Optional.of(Path.of("t"));
        // Tokens in clear text, TLS without authentication, one token only.
        for (ServerSecurity s : List.of(new ServerSecurity(TlsSettings.OFF, token, token, false),
                new ServerSecurity(TLS, Optional.empty(), Optional.empty(), false),
                new ServerSecurity(TLS, token, Optional.empty(), false),
                new ServerSecurity(TLS, Optional.empty(), token, false))) {
            assertEquals("refusing", BindCheck.refusal("h", exposed, s).substring(0, 8), s.toString());
        }
    }

    @Test
    void tlsWithAuthenticationOrAnExplicitChoiceIsAllowed() throws Exception {
        List<InetAddress> exposed = addresses("192.0.2.7");
        Optional<Path> token = Optional.of(Path.of("t"));
        assertNull(BindCheck.refusal("h", exposed, new ServerSecurity(TLS, token, token, false)));
        assertNull(BindCheck.refusal("h", exposed, new ServerSecurity(MUTUAL_TLS, Optional.empty(), Optional.empty(),
                false)));
        assertNull(BindCheck.refusal("h", exposed, new ServerSecurity(TlsSettings.OFF, Optional.empty(),
                Optional.empty(), true)));
    }
}
