package org.coordinatool.tests.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.coordinatool.hsm.Fid;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.ProcessResult;
import org.coordinatool.tests.support.SimMount;
import org.coordinatool.tests.support.Summary;
import org.junit.jupiter.api.Test;

/**
 * {@code coordinatool-client --find} and {@code --top} against a real coordinator on the simulator
 * with a real mover: a file's archive is seen queued while dispatching is locked, then running on
 * the mover once unlocked (its copytool frozen so that it holds the work), then unknown once done.
 */
class FindAndTopIT extends MoverSiteTest {

    static final int FILES = 4;
    static final String DATE_TIME = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d";

    @Override
    String fsname() {
        return "findtop";
    }

    static ProcessResult cli(CoordinatorProcess coordinator, String... args) {
        return CoordinatorSite.client(coordinator, null, args);
    }

    static void assertLine(String regex, ProcessResult r) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(r.stdout()).find(),
                "no line matching " + regex + " in:\n" + r.describe());
    }

    @Test
    void findShowsAnArchiveQueuedThenRunningOnItsMoverAndTopShowsQueuesAndMovers() throws IOException {
        Summary summary = Summary.start("FindAndTopIT");
        CoordinatorProcess coordinator = site.start(site.coordinator());
        MoverProcess mover = site.start(site.mover("mover1", coordinator));
        List<Path> files = site.createFiles("file", FILES, MAX_SIZE);
        Path idle = site.createFiles("idle", 1, MAX_SIZE).get(0);
        Fid first = site.site().fid(files.get(0));
        Fid last = site.site().fid(files.get(FILES - 1));
        MoverSite.awaitWaiting(coordinator, "mover1");
        mover.freezeCopytool();

        assertEquals(0, cli(coordinator, "--lock").exitCode());
        site.lfs("hsm_archive", files);
        awaitPendingArchives(coordinator, FILES);
        ProcessResult queued = cli(coordinator, "--find", files.get(0).toString());
        assertEquals(0, queued.exitCode(), queued.describe());
        assertLine("^" + Pattern.quote(first.format()) + " archive cookie 0x[0-9a-f]+ archive 1: queued in the global"
                + " archive queue, position 1 of " + FILES + ", since " + DATE_TIME + "$", queued);

        ProcessResult top = cli(coordinator, "--top", "--interval", "1", "--count", "2");
        assertEquals(0, top.exitCode(), top.describe());
        String[] frames = top.stdout().split("(?<=\n)\n(?=coordinatool  )");
        assertEquals(2, frames.length, top.describe());
        for (String frame : frames) {
            assertTrue(frame.contains("dispatching: locked  agents: 1"), frame);
            assertTrue(Pattern.compile("^archive +" + FILES + " +0 +0 ", Pattern.MULTILINE).matcher(frame).find(),
                    frame);
            assertTrue(Pattern.compile("^mover1 +waiting +0/3 +0/3 +0/3 +0/0/0$", Pattern.MULTILINE).matcher(frame)
                    .find(), frame);
        }
        assertTrue(Pattern.compile("^archive +4 +0 +0 +0\\.0$", Pattern.MULTILINE).matcher(frames[1]).find(),
                "no archive done between the frames: " + frames[1]);

        assertEquals(0, cli(coordinator, "--unlock").exitCode());
        MoverSite.awaitStatus(coordinator, "3 archives on frozen mover1, 1 queued", s ->
                s.path("running_archive").asInt() == 3 && s.path("pending_archive").asInt() == 1);
        ProcessResult running = cli(coordinator, "--find", files.get(0).toString());
        assertEquals(0, running.exitCode(), running.describe());
        assertLine("^" + Pattern.quote(first.format()) + " archive cookie 0x[0-9a-f]+ archive 1: running on mover1,"
                + " since " + DATE_TIME + "$", running);
        ProcessResult byFid = cli(coordinator, "--find", last.format());
        assertEquals(0, byFid.exitCode(), byFid.describe());
        assertLine("^" + Pattern.quote(last.format()) + " archive cookie 0x[0-9a-f]+ archive 1: queued in the global"
                + " archive queue, position 1 of 1, since " + DATE_TIME + "$", byFid);

        ProcessResult unknown = cli(coordinator, "--find", idle.toString());
        assertEquals(2, unknown.exitCode(), unknown.describe());
        assertEquals(site.site().fid(idle).format() + ": no request known\n", unknown.stdout());
        ProcessResult missing = cli(coordinator, "--find", site.mount().path("no-such-file").toString());
        assertEquals(1, missing.exitCode(), missing.describe());
        assertTrue(missing.stderr().contains("find failed: no such file: " + site.mount().path("no-such-file")
                + " (status 2)"), missing.describe());
        ProcessResult outside = cli(coordinator, "--find", work.toString());
        assertEquals(1, outside.exitCode(), outside.describe());
        assertTrue(outside.stderr().contains("find failed: " + work + " is not in a Lustre filesystem (status 18)"),
                outside.describe());
        try (SimMount other = SimMount.start(work.resolve("other"), "otherfs")) {
            Path elsewhere = other.path("f");
            Files.writeString(elsewhere, "x");
            ProcessResult wrongFs = cli(coordinator, "--find", elsewhere.toString());
            assertEquals(1, wrongFs.exitCode(), wrongFs.describe());
            assertTrue(wrongFs.stderr().contains("find failed: " + elsewhere + " is not in filesystem findtop"
                    + " (it is in otherfs) (status 18)"), wrongFs.describe());
        }

        mover.thawCopytool();
        site.awaitStates(files, "archived", MoverSite::archived);
        ProcessResult done = cli(coordinator, "--find", first.formatNoBrace());
        assertEquals(2, done.exitCode(), done.describe());
        summary.print(FILES + " archives found queued, then running on mover1, then gone once archived");
    }
}
