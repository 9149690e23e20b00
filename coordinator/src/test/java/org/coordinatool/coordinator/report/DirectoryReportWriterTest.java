package org.coordinatool.coordinator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryReportWriterTest {

    @TempDir
    Path tmp;

    @Test
    void createsTheDirectoryWithoutGroupOrOtherReadAccess() throws IOException {
        Path dir = tmp.resolve(".reporting");
        DirectoryReportWriter.open(dir, Runnable::run);
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        assertTrue(perms.contains(PosixFilePermission.OWNER_WRITE));
        assertFalse(perms.contains(PosixFilePermission.GROUP_READ));
        assertFalse(perms.contains(PosixFilePermission.OTHERS_READ));
        DirectoryReportWriter.open(dir, Runnable::run);
    }

    @Test
    void refusesAPathThatIsNotADirectory() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        assertThrows(IOException.class, () -> DirectoryReportWriter.open(file, Runnable::run));
        assertThrows(IOException.class, () -> DirectoryReportWriter.open(tmp.resolve("no/such/parent"), Runnable::run));
    }

    @Test
    void appendsInOrderCreatesFilesWithoutWriteForOthersAndDeletes() throws IOException {
        List<Runnable> pending = new ArrayList<>();
        DirectoryReportWriter writer = DirectoryReportWriter.open(tmp, pending::add);
        writer.append("r", "one\n".getBytes(StandardCharsets.US_ASCII));
        writer.append("r", "two\n".getBytes(StandardCharsets.US_ASCII));
        assertFalse(Files.exists(tmp.resolve("r")), "nothing happens on the calling thread");
        pending.forEach(Runnable::run);
        pending.clear();
        assertEquals("one\ntwo\n", Files.readString(tmp.resolve("r")));
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(tmp.resolve("r"));
        assertFalse(perms.contains(PosixFilePermission.OWNER_EXECUTE));
        assertFalse(perms.contains(PosixFilePermission.GROUP_WRITE));
        assertFalse(perms.contains(PosixFilePermission.OTHERS_WRITE));
        writer.delete("r");
        writer.delete("missing");
        pending.forEach(Runnable::run);
        assertFalse(Files.exists(tmp.resolve("r")));
    }

    @Test
    void writeFailuresAreContained() throws IOException {
        DirectoryReportWriter writer = DirectoryReportWriter.open(tmp, Runnable::run);
        Files.createDirectory(tmp.resolve("sub"));
        writer.append("sub", "x\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(Files.isDirectory(tmp.resolve("sub")));
    }
}
