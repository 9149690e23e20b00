package org.coordinatool.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import com.typesafe.config.Config;

/**
 * How the server protects its protocol port.
 *
 * @param tls            server TLS; mutual when {@code tls.ca()} is set
 * @param agentTokenFile the token agents present in ehlo; empty = agents need none
 * @param adminTokenFile the token administrators present in ehlo; empty = admin commands need none
 * @param allowInsecure  allow a non-loopback address without {@link #secured() protection}
 */
public record ServerSecurity(TlsSettings tls, Optional<Path> agentTokenFile, Optional<Path> adminTokenFile,
                             boolean allowInsecure) {

    /** The original's behaviour: plain TCP, no tokens, loopback only unless allowed. */
    public static final ServerSecurity NONE = new ServerSecurity(TlsSettings.OFF, Optional.empty(), Optional.empty(),
            false);

    public ServerSecurity {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(agentTokenFile, "agentTokenFile");
        Objects.requireNonNull(adminTokenFile, "adminTokenFile");
    }

    /**
     * TLS on, and peers authenticated: by a client certificate (mutual TLS) or by both tokens, so
     * that neither agent nor admin commands are open. Only then may the port face the network
     * without {@code allow_insecure}.
     */
    public boolean secured() {
        return tls.enabled() && (tls.ca().isPresent() || (agentTokenFile.isPresent() && adminTokenFile.isPresent()));
    }

    static ServerSecurity from(Config config) {
        return new ServerSecurity(TlsSettings.from(config),
                ConfigValues.optionalPath(config, ConfigKey.AGENT_TOKEN_FILE),
                ConfigValues.optionalPath(config, ConfigKey.ADMIN_TOKEN_FILE),
                config.getBoolean(ConfigKey.ALLOW_INSECURE.path()));
    }
}
