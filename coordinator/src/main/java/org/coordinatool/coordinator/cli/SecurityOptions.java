package org.coordinatool.coordinator.cli;

import static org.coordinatool.config.OptionOverrides.put;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The TLS and token options shared by the clients (coordinatool-client, coordinatool-mover):
 * command-line overrides of the keys tls, tls_ca, tls_cert, tls_key and token_file.
 */
public final class SecurityOptions {

    @Option(names = "--tls", description = "Connect with TLS (key tls).")
    private boolean tls;

    @Option(names = "--tls-ca", paramLabel = "PEM",
            description = "CA certificates that sign the server's certificate (default: the JDK's trust store).")
    private String tlsCa;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Client certificate, for mutual TLS.")
    private String tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "PKCS#8 private key of --tls-cert.")
    private String tlsKey;

    @Option(names = "--token-file", paramLabel = "PATH",
            description = "File holding the token sent in ehlo (readable by its owner only).")
    private String tokenFile;

    /** Adds the options given to {@code overrides}, keyed by configuration key. */
    public void addTo(Map<String, List<String>> overrides) {
        if (tls) {
            overrides.put("tls", List.of("on"));
        }
        put(overrides, "tls_ca", tlsCa);
        put(overrides, "tls_cert", tlsCert);
        put(overrides, "tls_key", tlsKey);
        put(overrides, "token_file", tokenFile);
    }
}
