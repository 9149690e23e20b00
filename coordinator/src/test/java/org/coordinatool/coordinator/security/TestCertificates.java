package org.coordinatool.coordinator.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made for one test run with the {@code openssl} command: a CA, a server
 * certificate for localhost and 127.0.0.1 and a client certificate, both signed by the CA, and
 * a client certificate signed by another CA. Keys are PKCS#8 PEM (EC P-256), owner-only; nothing
 * here is ever committed.
 */
public final class TestCertificates {

    /** A certificate and its key. */
    public record Pair(Path certificate, Path key) {
    }

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Creates everything in {@code dir}. */
    public static TestCertificates create(Path dir) {
        TestCertificates c = new TestCertificates(dir);
        try {
            c.ca("ca", "coordinatool test CA");
            c.ca("other-ca", "another CA");
            c.signed("server", "localhost", "ca", "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                    + "extendedKeyUsage=serverAuth\n");
            c.signed("client", "mover1", "ca", "extendedKeyUsage=clientAuth\n");
            c.signed("stranger", "mover1", "other-ca", "extendedKeyUsage=clientAuth\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return c;
    }

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    /** A CA that signed neither the server's nor the client's certificate. */
    public Path otherCa() {
        return dir.resolve("other-ca.pem");
    }

    public Pair server() {
        return pair("server");
    }

    public Pair client() {
        return pair("client");
    }

    /** A client certificate signed by {@link #otherCa()}. */
    public Pair stranger() {
        return pair("stranger");
    }

    private Pair pair(String name) {
        return new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }

    private void ca(String name, String cn) throws IOException, InterruptedException {
        key(name);
        openssl("req", "-x509", "-new", "-key", name + ".key", "-subj", "/CN=" + cn, "-days", "2",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-out", name + ".pem");
    }

    private void signed(String name, String cn, String ca, String extensions) throws IOException, InterruptedException {
        key(name);
        openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=" + cn, "-out", name + ".csr");
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
                "-CAcreateserial", "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private void key(String name) throws IOException, InterruptedException {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
        Files.setPosixFilePermissions(dir.resolve(name + ".key"), PosixFilePermissions.fromString("rw-------"));
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
