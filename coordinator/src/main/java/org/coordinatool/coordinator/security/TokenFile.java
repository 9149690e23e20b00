package org.coordinatool.coordinator.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads a token from a file only its owner may read or write: a token others can read is no
 * secret. The token is the file's content without surrounding whitespace (so a trailing
 * newline does not count). Error messages name the file, never its content.
 */
public final class TokenFile {

    /** Shorter secrets can be guessed; 16 characters of base64 are 96 bits. */
    public static final int MIN_LENGTH = 16;
    /** A token travels in one ehlo; anything longer is not a token file. */
    static final int MAX_BYTES = 4096;

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private TokenFile() {
    }

    /**
     * @param what what the token is for, for messages ("agent_token_file")
     * @throws IOException with a one-line reason when the file is missing, unreadable, open to
     *                     others, not UTF-8, empty or too short
     */
    public static Token read(String what, Path file) throws IOException {
        return Token.of(readSecret(what, file));
    }

    /** The secret itself, for the side that sends it. */
    public static String readSecret(String what, Path file) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            throw new IOException(what + " " + file + ": no such file", e);
        } catch (UnsupportedOperationException e) {
            throw new IOException(what + " " + file + ": the filesystem has no POSIX permissions", e);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(what + " " + file + ": not a regular file");
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(OTHERS);
        open.retainAll(permissions);
        if (!open.isEmpty()) {
            throw new IOException(what + " " + file + ": group or others have access (mode "
                    + modeString(permissions) + "); make it readable by its owner only (chmod 600)");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(what + " " + file + ": larger than " + MAX_BYTES + " bytes, not a token");
        }
        String secret;
        try {
            secret = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString().strip();
        } catch (CharacterCodingException e) {
            throw new IOException(what + " " + file + ": not UTF-8 text", e);
        }
        if (secret.isEmpty()) {
            throw new IOException(what + " " + file + ": empty");
        }
        if (secret.length() < MIN_LENGTH) {
            throw new IOException(what + " " + file + ": the token is shorter than " + MIN_LENGTH + " characters");
        }
        if (secret.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IOException(what + " " + file + ": the token contains control characters");
        }
        return secret;
    }

    private static String modeString(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%03o", mode);
    }
}
