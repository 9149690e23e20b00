package org.coordinatool.coordinator.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Token files: owner-only, one secret, errors that name the file and never the secret. */
class TokenFileTest {

    @TempDir
    Path dir;

    private Path file(String content, String mode) throws IOException {
        Path f = Files.writeString(dir.resolve("token"), content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void readsTheSecretWithoutTheTrailingNewline() throws Exception {
        Path f = TestTokens.write(dir.resolve("t"), TestTokens.AGENT);
        assertEquals(TestTokens.AGENT, TokenFile.readSecret("agent_token_file", f));
        Token token = TokenFile.read("agent_token_file", f);
        assertTrue(token.matches(TestTokens.AGENT));
        assertFalse(token.matches(TestTokens.AGENT + "\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-rw----", "rw-----w-", "rwx--x---"})
    void refusesAFileOthersCanReach(String mode) throws Exception {
        Path f = file(TestTokens.ADMIN, mode);
        IOException e = assertThrows(IOException.class, () -> TokenFile.read("admin_token_file", f));
        assertTrue(e.getMessage().startsWith("admin_token_file " + f + ": group or others have access (mode "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("make it readable by its owner only (chmod 600)"), e.getMessage());
        assertFalse(e.getMessage().contains(TestTokens.ADMIN));
    }

    @Test
    void theModeIsShownInOctal() throws Exception {
        Path f = file(TestTokens.ADMIN, "rw-r--r--");
        IOException e = assertThrows(IOException.class, () -> TokenFile.read("token_file", f));
        assertTrue(e.getMessage().contains("(mode 644)"), e.getMessage());
    }

    @Test
    void acceptsReadOnlyForTheOwner() throws Exception {
        assertTrue(TokenFile.read("t", file(TestTokens.AGENT, "r--------")).matches(TestTokens.AGENT));
    }

    @Test
    void refusesAMissingFile() {
        Path f = dir.resolve("absent");
        IOException e = assertThrows(IOException.class, () -> TokenFile.read("token_file", f));
        assertEquals("token_file " + f + ": no such file", e.getMessage());
    }

    @Test
    void refusesADirectory() throws Exception {
        Path d = Files.createDirectory(dir.resolve("d"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        IOException e = assertThrows(IOException.class, () -> TokenFile.read("token_file", d));
        assertEquals("token_file " + d + ": not a regular file", e.getMessage());
    }

    @Test
    void refusesEmptyShortBinaryAndHugeContent() throws Exception {
        assertEquals("t " + dir.resolve("token") + ": empty",
                assertThrows(IOException.class, () -> TokenFile.read("t", file(" \n", "rw-------"))).getMessage());
        String shortSecret = "x".repeat(TokenFile.MIN_LENGTH - 1);
        IOException tooShort = assertThrows(IOException.class, () -> TokenFile.read("t", file(shortSecret, "rw-------")));
        assertEquals("t " + dir.resolve("token") + ": the token is shorter than 16 characters", tooShort.getMessage());
        Path binary = dir.resolve("token");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 'a', 'b'});
        assertTrue(assertThrows(IOException.class, () -> TokenFile.read("t", binary)).getMessage()
                .endsWith(": not UTF-8 text"));
        Files.writeString(binary, "a".repeat(TokenFile.MAX_BYTES + 1));
        assertTrue(assertThrows(IOException.class, () -> TokenFile.read("t", binary)).getMessage()
                .endsWith("larger than 4096 bytes, not a token"));
        Files.writeString(binary, "abcdefgh\u0001ijklmnopq");
        assertTrue(assertThrows(IOException.class, () -> TokenFile.read("t", binary)).getMessage()
                .endsWith("the token contains control characters"));
    }

    @Test
    void aTokenNeverShowsItsSecret() {
        Token token = Token.of(TestTokens.AGENT);
        assertFalse(token.toString().contains(TestTokens.AGENT));
        assertFalse(token.matches(null));
        assertFalse(token.matches(""));
        assertFalse(token.matches(TestTokens.AGENT.substring(1)));
    }
}
