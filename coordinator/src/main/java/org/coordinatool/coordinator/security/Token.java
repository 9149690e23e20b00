package org.coordinatool.coordinator.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A shared secret. It is kept only as its SHA-256 digest and compared digest to digest with
 * {@link MessageDigest#isEqual}, so the time a comparison takes depends neither on where a guess
 * first differs nor on its length; {@link #toString} never shows it.
 */
public final class Token {

    private final byte[] digest;

    private Token(byte[] digest) {
        this.digest = digest;
    }

    public static Token of(String secret) {
        Objects.requireNonNull(secret, "secret");
        return new Token(sha256(secret));
    }

    /** Whether {@code presented} is this token; null never is. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "Token[redacted]";
    }
}
