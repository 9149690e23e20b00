package org.coordinatool.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConfigFileParserTest {
    private static final Path FILE = Path.of("/etc/test.conf");

    private final Diagnostics diagnostics = new Diagnostics();

    private List<ConfigFileParser.Line> parse(String text) throws ConfigException {
        return ConfigFileParser.parse(FILE, text.getBytes(StandardCharsets.UTF_8), diagnostics);
    }

    private static ConfigFileParser.Line line(int number, String key, String value) {
        return new ConfigFileParser.Line(number, key, value);
    }

    @Test
    void splitsKeyFromValue() throws ConfigException {
        assertEquals(List.of(line(1, "host", "coordinatool"), line(2, "port", "5123")),
                parse("host coordinatool\nport 5123\n"));
    }

    @Test
    void indentedLinesParseLikeOthers() throws ConfigException {
        assertEquals(List.of(line(1, "redis_port", "6380"), line(2, "client_grace_ms", "5000")),
                parse("   redis_port 6380\n\t\tclient_grace_ms\t5000 \t\n"));
    }

    @Test
    void valueKeepsInnerSpacesAndLosesSurroundingOnes() throws ConfigException {
        assertEquals(List.of(line(1, "archive_on_hosts", "tag=n1 mover1  mover2"),
                        line(2, "batch_archives_slices_sec", "300\t3600")),
                parse("archive_on_hosts    tag=n1 mover1  mover2   \nbatch_archives_slices_sec 300\t3600\r\n"));
    }

    @Test
    void thereAreNoInlineComments() throws ConfigException {
        assertEquals(List.of(line(1, "host", "foo # x")), parse("host foo # x"));
    }

    @Test
    void skipsBlankLinesAndCommentsButCountsThem() throws ConfigException {
        List<ConfigFileParser.Line> lines = parse("""
                # a comment
                #host commented
                  # indented comment

                \t
                #
                port 1234
                """);
        assertEquals(List.of(line(7, "port", "1234")), lines);
        assertEquals(List.of(), diagnostics.all());
    }

    @Test
    void keyIsTheFirstWordAsWritten() throws ConfigException {
        assertEquals(List.of(line(1, "Redis_Host", "db#1")), parse("Redis_Host db#1"));
    }

    @Test
    void keyWithoutValueIsSkippedWithAWarning() throws ConfigException {
        assertEquals(List.of(line(3, "port", "1")), parse("host\nredis_host   \t \nport 1\n"));
        assertEquals(List.of(
                        new Diagnostic(LogLevel.WARN, "/etc/test.conf:1: host: no value, line ignored"),
                        new Diagnostic(LogLevel.WARN, "/etc/test.conf:2: redis_host: no value, line ignored")),
                diagnostics.all());
    }

    @Test
    void lastLineNeedsNoNewline() throws ConfigException {
        assertEquals(List.of(line(1, "host", "a"), line(2, "port", "2")), parse("host a\nport 2"));
    }

    @Test
    void emptyFileHasNoLines() throws ConfigException {
        assertEquals(List.of(), parse(""));
    }

    @Test
    void decodesUtf8() throws ConfigException {
        assertEquals(List.of(line(1, "reporting_hint", "clé")), parse("reporting_hint clé"));
    }

    @Test
    void invalidUtf8IsAnErrorNamingTheLine() {
        byte[] content = {'h', 'o', 's', 't', ' ', 'a', '\n', 'h', 'o', 's', 't', ' ', (byte) 0xE9, '\n'};
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFileParser.parse(FILE, content, diagnostics));
        assertEquals("/etc/test.conf:2: not valid UTF-8", e.getMessage());
    }
}
