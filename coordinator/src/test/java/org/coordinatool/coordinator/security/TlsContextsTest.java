package org.coordinatool.coordinator.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.coordinatool.config.TlsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is wrong with the TLS files is said in one line naming the key and the file. */
class TlsContextsTest {

    @TempDir
    Path dir;

    static TlsSettings tls(Path cert, Path key, Path ca) {
        return new TlsSettings(true, Optional.ofNullable(cert), Optional.ofNullable(key), Optional.ofNullable(ca));
    }

    @Test
    void theServerNeedsACertificateAndItsKey() {
        assertEquals("tls is on: the server needs both tls_cert and tls_key",
                assertThrows(IOException.class, () -> TlsContexts.server(tls(null, null, null))).getMessage());
        assertEquals("tls is on: the server needs both tls_cert and tls_key",
                assertThrows(IOException.class, () -> TlsContexts.server(tls(dir.resolve("c"), null, null)))
                        .getMessage());
    }

    @Test
    void aClientCertificateNeedsItsKey() {
        assertEquals("tls_cert is set without tls_key", assertThrows(IOException.class,
                () -> TlsContexts.client(tls(dir.resolve("c"), null, null))).getMessage());
        assertEquals("tls_key is set without tls_cert", assertThrows(IOException.class,
                () -> TlsContexts.client(tls(null, dir.resolve("k"), null))).getMessage());
    }

    @Test
    void missingAndMalformedFilesAreNamed() throws Exception {
        Path missing = dir.resolve("absent.pem");
        assertEquals("tls_ca " + missing + ": no such file", assertThrows(IOException.class,
                () -> TlsContexts.client(tls(null, null, missing))).getMessage());
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        IOException e = assertThrows(IOException.class, () -> TlsContexts.server(tls(garbage, garbage, null)));
        assertTrue(e.getMessage().startsWith("tls_cert " + garbage + " / tls_key " + garbage + ": ")
                || e.getMessage().startsWith("cannot set up TLS from tls_cert " + garbage), e.getMessage());
    }
}
