package org.coordinatool.bench.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimingsTest {

    @TempDir
    Path dir;

    private Timings read(String submitted, String completed) throws Exception {
        Path s = Files.writeString(dir.resolve("submitted"), submitted);
        Path c = Files.writeString(dir.resolve("m1"), completed);
        Timings t = new Timings();
        t.readSubmitted(s);
        t.readCompleted(c, "mover1");
        t.readCompleted(dir.resolve("absent"), "mover2");
        return t;
    }

    @Test
    void matchedRequestsGiveTheirLatencies() throws Exception {
        Timings t = read("[0x1:0x1:0x0] 100\n[0x1:0x2:0x0] 100\n",
                "[0x1:0x2:0x0] ARCHIVE 150 160\n[0x1:0x1:0x0] ARCHIVE 130 170\n");
        assertEquals(List.of(), t.offenders());
        assertEquals(2, t.completed());
        long[] queue = t.queueLatencies();
        Arrays.sort(queue);
        assertArrayEquals(new long[] {30, 50}, queue);
        assertEquals(170, t.lastEnded);
    }

    @Test
    void repeatedUnknownAndMissingRequestsAreOffenders() throws Exception {
        Timings t = read("[0x1:0x1:0x0] 100\n[0x1:0x2:0x0] 100\n",
                "[0x1:0x1:0x0] ARCHIVE 150 160\n[0x1:0x1:0x0] ARCHIVE 170 180\n[0x1:0x9:0x0] ARCHIVE 1 2\n");
        assertEquals(List.of("mover1 ran ARCHIVE [0x1:0x1:0x0] again",
                "mover1 ran ARCHIVE [0x1:0x9:0x0], which was not submitted",
                "request for [0x1:0x2:0x0] never reached a copytool"), t.offenders());
        assertEquals(0, t.completed(), "a request run twice is not counted as completed");
    }
}
