package org.coordinatool.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import com.typesafe.config.Config;

/**
 * TLS on the coordinator protocol, for either side. The files are PEM.
 *
 * @param enabled     server: accept TLS connections only; clients: connect with TLS
 * @param certificate server: its certificate chain; clients: their certificate for mutual TLS
 * @param key         the PKCS#8 private key of {@code certificate}
 * @param ca          server: the CAs whose client certificates are required (mutual TLS);
 *                    clients: the CAs trusted for the server, empty = the JDK's trust store
 */
public record TlsSettings(boolean enabled, Optional<Path> certificate, Optional<Path> key, Optional<Path> ca) {

    /** TLS off, nothing configured. */
    public static final TlsSettings OFF = new TlsSettings(false, Optional.empty(), Optional.empty(), Optional.empty());

    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ca, "ca");
    }

    static TlsSettings from(Config config) {
        return new TlsSettings(config.getBoolean(ConfigKey.TLS.path()),
                ConfigValues.optionalPath(config, ConfigKey.TLS_CERT),
                ConfigValues.optionalPath(config, ConfigKey.TLS_KEY),
                ConfigValues.optionalPath(config, ConfigKey.TLS_CA));
    }
}
