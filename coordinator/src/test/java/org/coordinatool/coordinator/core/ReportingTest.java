package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coordinatool.config.RandomHostMapping;
import org.coordinatool.coordinator.queue.ActionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportingTest {

    @TempDir
    Path dir;

    private Harness harness(long intervalMs) {
        return Harness.builder().reporting(dir, "cr", intervalMs).grace(5000).build();
    }

    private String read(String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    private static String f(int n) {
        return Items.dfid(n).format();
    }

    @Test
    void lifeOfAReportedRequest() throws IOException {
        Harness h = harness(1000);
        RecordingConnection c = h.agent("agent_1");
        h.dispatch(c, Items.archive(1, "bar,cr=foo,moo"));
        h.done(c, Items.archive(1), 5);
        assertEquals("new " + f(1) + "\nsent " + f(1) + " agent_1\ndone " + f(1) + " 5\n", read("foo"));
    }

    @Test
    void hostMappingWritesAnAssignLine() throws IOException {
        Harness h = Harness.builder().reporting(dir, "cr", 1000)
                .mapping(new RandomHostMapping("tag=x", List.of("agent_7"))).build();
        h.lustre(Items.archive(1, "tag=x,cr=r1"));
        assertEquals("new " + f(1) + "\nassign " + f(1) + " agent_7\n", read("r1"));
    }

    @Test
    void cancelLineEndsWithANewline() throws IOException {
        Harness h = harness(1000);
        h.lustre(Items.archive(1, "cr=c1"), Items.archive(2, "cr=c1"));
        h.lustreCancel(1, 1);
        h.lustreCancel(2, 1);
        assertEquals("new " + f(1) + "\nnew " + f(2) + "\ncancel " + f(1) + "\ncancel " + f(2) + "\n", read("c1"));
    }

    @Test
    void waitingRestoresGetProgressLinesAtEachTick() throws IOException {
        Harness h = harness(1000);
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.item(ActionType.RESTORE, 1, 1, "foo,cr=p,bar"), Items.item(ActionType.RESTORE, 2, 1, "cr=p"),
                Items.item(ActionType.RESTORE, 3, 1, "cr=p"), Items.item(ActionType.RESTORE, 4, 1, ""));
        h.recv(c, -1, 1, -1, 1 << 20);
        assertEquals(List.of(1), received(c));
        h.lustre(Items.archive(5, "cr=p"));
        h.advanceMillis(1000);
        String expected = "new " + f(1) + "\nnew " + f(2) + "\nnew " + f(3) + "\nsent " + f(1) + " agent_1\n"
                + "new " + f(5) + "\nprogress " + f(2) + " global_queue 1/3\nprogress " + f(3) + " global_queue 2/3\n";
        assertEquals(expected, read("p"));
        h.advanceMillis(1000);
        assertTrue(read("p").endsWith("progress " + f(3) + " global_queue 2/3\n")
                && read("p").length() > expected.length(), "ticks repeat while restores wait");
    }

    @Test
    void fileIsDeletedTwoTicksAfterItsLastRequest() throws IOException {
        Harness h = harness(1000);
        RecordingConnection c = h.agent("agent_1");
        h.dispatch(c, Items.archive(1, "cr=gone"));
        h.advanceMillis(1000);
        h.done(c, Items.archive(1));
        assertTrue(Files.exists(dir.resolve("gone")));
        h.advanceMillis(1000);
        assertTrue(Files.exists(dir.resolve("gone")), "one tick after: still there");
        h.advanceMillis(1000);
        assertFalse(Files.exists(dir.resolve("gone")), "second tick after: deleted");
    }

    @Test
    void reuseBeforeDeletionKeepsTheFile() throws IOException {
        Harness h = harness(1000);
        RecordingConnection c = h.agent("agent_1");
        h.dispatch(c, Items.archive(1, "cr=again"));
        h.done(c, Items.archive(1));
        h.advanceMillis(1000);
        h.lustre(Items.archive(2, "x,cr=again"));
        h.advanceMillis(5000);
        assertTrue(read("again").endsWith("new " + f(2) + "\n"));
        h.recv(c);
        received(c);
        h.done(c, Items.archive(2));
        h.advanceMillis(2000);
        assertFalse(Files.exists(dir.resolve("again")));
    }

    @Test
    void invalidNamesAreNotReported() throws IOException {
        Harness h = harness(1000);
        String[] bad = {"cr=a/b", "cr=a.b", "cr=", "cr=,x", "cr=" + "a".repeat(65), "cr=ab\0", "cr=a b"};
        for (int i = 0; i < bad.length; i++) {
            h.lustre(Items.item(ActionType.ARCHIVE, i + 1, 1, 0, bad[i].getBytes(StandardCharsets.ISO_8859_1)));
        }
        h.lustre(Items.archive(99, "cr=" + "b".repeat(64)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("b".repeat(64))), files.toList());
        }
    }

    @Test
    void linesLongerThan127BytesAreDropped() throws IOException {
        Harness h = harness(1000);
        String longId = "agent_" + "x".repeat(100);
        RecordingConnection c = h.agent(longId);
        h.dispatch(c, Items.archive(1, "cr=long"));
        h.done(c, Items.archive(1));
        assertEquals("new " + f(1) + "\ndone " + f(1) + " 0\n", read("long"));
    }

    @Test
    void withoutTicksFilesStayAndNoProgressIsWritten() throws IOException {
        Harness h = harness(0);
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.item(ActionType.RESTORE, 1, 1, "cr=keep"), Items.item(ActionType.RESTORE, 2, 1, "cr=keep"));
        h.recv(c, -1, 1, -1, 1 << 20);
        received(c);
        h.done(c, Items.restore(1));
        h.advanceMillis(10_000);
        assertEquals("new " + f(1) + "\nnew " + f(2) + "\nsent " + f(1) + " agent_1\ndone " + f(1) + " 0\n",
                read("keep"));
        assertEquals(-1, h.timers.nextDue());
    }

    @Test
    void reportingNeedsBothDirectoryAndHint() throws IOException {
        Harness h = Harness.builder().reporting(dir, null, 1000).build();
        h.lustre(Items.archive(1, "cr=x"));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
