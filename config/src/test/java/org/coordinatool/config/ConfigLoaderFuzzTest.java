package org.coordinatool.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Any configuration file either loads or is refused with a {@link ConfigException}, for each side;
 * and indenting every line changes nothing: the same settings and remarks, or the same error.
 */
class ConfigLoaderFuzzTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void quiet() {
        // Every input makes remarks; printing them would slow fuzzing down to a crawl.
        ((Logger) LoggerFactory.getLogger(ConfigLoader.class)).setLevel(Level.OFF);
    }

    @FuzzTest
    void load(byte[] content) throws IOException {
        byte[] indented = indented(content);
        for (Side side : Side.values()) {
            assertEquals(outcome(side, content), outcome(side, indented), side.toString());
        }
    }

    /** What loading gave: the settings and remarks, or the refusal's message. */
    private record Outcome(Settings settings, List<Diagnostic> diagnostics, String refusal) {
    }

    private static Outcome outcome(Side side, byte[] content) throws IOException {
        Path file = dir.resolve("coordinatool.conf");
        Files.write(file, content);
        try {
            LoadedConfig loaded = new ConfigLoader(dir.resolve("absent.conf"), () -> "mover7.example.com")
                    .load(side, file, Map.of(), Map.of());
            return new Outcome(loaded.settings(), loaded.diagnostics(), null);
        } catch (ConfigException e) {
            return new Outcome(null, null, e.getMessage());
        }
    }

    /** Every line preceded by a space and a tab. */
    private static byte[] indented(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length * 2 + 2);
        out.write(' ');
        out.write('\t');
        for (byte b : content) {
            out.write(b);
            if (b == '\n') {
                out.write(' ');
                out.write('\t');
            }
        }
        return out.toByteArray();
    }
}
