package org.coordinatool.coordinator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalStreamTest {

    @TempDir
    Path dir;

    private static String deviceAndInode(Path file) throws Exception {
        return Files.getAttribute(file, "unix:dev") + ":" + Files.getAttribute(file, "unix:ino");
    }

    @Test
    void theStreamNamedByJournalStreamIsTheJournal() throws Exception {
        Path stream = Files.createFile(dir.resolve("stream"));
        Path other = Files.createFile(dir.resolve("other"));
        assertTrue(JournalStream.names(deviceAndInode(stream), stream));
        assertFalse(JournalStream.names(deviceAndInode(other), stream), "inherited, but output redirected elsewhere");
    }

    @Test
    void absentOrMalformedValuesAreNotTheJournal() throws Exception {
        Path stream = Files.createFile(dir.resolve("stream"));
        String dev = Files.getAttribute(stream, "unix:dev").toString();
        for (String value : new String[] {null, "", dev, dev + ":", ":1", "x:y", dev + ":-1", "1:2:3"}) {
            assertFalse(JournalStream.names(value, stream), String.valueOf(value));
        }
        assertFalse(JournalStream.names(deviceAndInode(stream), dir.resolve("missing")));
    }

    @Test
    void withoutTheVariableThereIsNoJournalAndLinesAreTimestamped() {
        assertFalse(JournalStream.isStderr(Map.of()));
        assertTrue(LogPattern.TIMESTAMPED.startsWith("%d{") && LogPattern.TIMESTAMPED.endsWith(" " + LogPattern.JOURNAL));
    }
}
