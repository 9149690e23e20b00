package org.coordinatool.coordinator.client;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.coordinatool.config.ClientSecurity;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.security.TlsContexts;
import org.coordinatool.coordinator.security.TokenFile;

/**
 * What a client needs to reach a protected server: its transport and the token its ehlo carries.
 * Read once at start-up, so that a bad file stops the program with a clear message.
 */
public final class ClientProtection {

    /** The original's: plain TCP, no token. */
    public static final ClientProtection NONE = new ClientProtection(Transport.PLAIN, Optional.empty());

    private final Transport transport;
    private final Optional<String> token;

    public ClientProtection(Transport transport, Optional<String> token) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.token = Objects.requireNonNull(token, "token");
    }

    /**
     * @throws IOException with a one-line reason when a TLS file or the token file is unusable
     */
    public static ClientProtection load(ClientSecurity security) throws IOException {
        Transport transport = security.tls().enabled() ? Transport.tls(TlsContexts.client(security.tls()))
                : Transport.PLAIN;
        Optional<String> token = security.tokenFile().isEmpty() ? Optional.empty()
                : Optional.of(TokenFile.readSecret("token_file", security.tokenFile().get()));
        return new ClientProtection(transport, token);
    }

    public Transport transport() {
        return transport;
    }

    /** The ehlo as sent: with the token when there is one. */
    Command.Ehlo sign(Command.Ehlo ehlo) {
        return token.map(ehlo::withToken).orElse(ehlo);
    }

    @Override
    public String toString() {
        return "ClientProtection[" + transport.getClass().getSimpleName() + (token.isPresent() ? ", token" : "") + "]";
    }
}
