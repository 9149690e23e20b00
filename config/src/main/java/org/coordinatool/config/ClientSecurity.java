package org.coordinatool.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import com.typesafe.config.Config;

/**
 * How an agent or the command-line client authenticates the server and itself.
 *
 * @param tls       client TLS; a certificate makes it present one for mutual TLS
 * @param tokenFile the token sent in ehlo; empty = none
 */
public record ClientSecurity(TlsSettings tls, Optional<Path> tokenFile) {

    /** The original's behaviour: plain TCP, no token. */
    public static final ClientSecurity NONE = new ClientSecurity(TlsSettings.OFF, Optional.empty());

    public ClientSecurity {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(tokenFile, "tokenFile");
    }

    static ClientSecurity from(Config config) {
        return new ClientSecurity(TlsSettings.from(config), ConfigValues.optionalPath(config, ConfigKey.TOKEN_FILE));
    }
}
