package org.coordinatool.coordinator.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Token files as an operator would write them: one line, owner-only. */
public final class TestTokens {

    public static final String AGENT = "agent-token-0123456789abcdef";
    public static final String ADMIN = "admin-token-fedcba9876543210";

    private TestTokens() {
    }

    /** Writes {@code secret} and a newline to {@code file}, mode 0600. */
    public static Path write(Path file, String secret) {
        try {
            Files.writeString(file, secret + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
