package org.coordinatool.coordinator.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.coordinatool.config.TlsSettings;

/**
 * Builds the TLS contexts of both sides from PEM files, with the JDK's TLS implementation:
 * TLS 1.2 and 1.3 only.
 */
public final class TlsContexts {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {
    }

    /**
     * The server's context: its certificate chain and key; with a CA bundle, client certificates
     * signed by it are required.
     *
     * @throws IOException with a one-line reason naming the file at fault
     */
    public static SslContext server(TlsSettings tls) throws IOException {
        if (tls.certificate().isEmpty() || tls.key().isEmpty()) {
            throw new IOException("tls is on: the server needs both tls_cert and tls_key");
        }
        Path cert = tls.certificate().get();
        Path key = tls.key().get();
        requireReadable("tls_cert", cert);
        requireReadable("tls_key", key);
        SslContextBuilder builder;
        try {
            builder = SslContextBuilder.forServer(cert.toFile(), key.toFile());
        } catch (IllegalArgumentException e) {
            throw new IOException("tls_cert " + cert + " / tls_key " + key + ": " + reason(e), e);
        }
        if (tls.ca().isPresent()) {
            requireReadable("tls_ca", tls.ca().get());
            builder.trustManager(tls.ca().get().toFile()).clientAuth(ClientAuth.REQUIRE);
        }
        return build(builder.sslProvider(SslProvider.JDK).protocols(PROTOCOLS), tls);
    }

    /**
     * A client's context: the server is verified against the CA bundle, else the JDK's trust
     * store; a certificate, when configured, is presented for mutual TLS.
     *
     * @throws IOException with a one-line reason naming the file at fault
     */
    public static SSLContext client(TlsSettings tls) throws IOException {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PROTOCOLS);
        Optional<Path> ca = tls.ca();
        if (ca.isPresent()) {
            requireReadable("tls_ca", ca.get());
            builder.trustManager(ca.get().toFile());
        }
        if (tls.certificate().isPresent() != tls.key().isPresent()) {
            throw new IOException(tls.certificate().isPresent() ? "tls_cert is set without tls_key"
                    : "tls_key is set without tls_cert");
        }
        if (tls.certificate().isPresent()) {
            requireReadable("tls_cert", tls.certificate().get());
            requireReadable("tls_key", tls.key().get());
            try {
                builder.keyManager(tls.certificate().get().toFile(), tls.key().get().toFile());
            } catch (IllegalArgumentException e) {
                throw new IOException("tls_cert " + tls.certificate().get() + " / tls_key " + tls.key().get() + ": "
                        + reason(e), e);
            }
        }
        return ((JdkSslContext) build(builder, tls)).context();
    }

    private static SslContext build(SslContextBuilder builder, TlsSettings tls) throws IOException {
        try {
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot set up TLS from tls_cert " + tls.certificate().map(Path::toString).orElse("-")
                    + ", tls_key " + tls.key().map(Path::toString).orElse("-") + ", tls_ca "
                    + tls.ca().map(Path::toString).orElse("-") + ": " + reason(e), e);
        }
    }

    private static void requireReadable(String key, Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException(key + " " + file + ": " + (Files.exists(file) ? "cannot be read" : "no such file"));
        }
    }

    /** The innermost message: Netty wraps the parser's precise complaint. */
    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
