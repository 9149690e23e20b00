package org.coordinatool.tests.faults;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mover's agent killed (SIGKILL) while its copytool transfers: the copytool stops with it, so
 * that the work the restarted agent gives back runs on another copytool only once nobody runs it
 * any more. Transfers are slowed down so that they outlast the agent's restart.
 */
class AgentKilledIT {

    @TempDir
    Path work;

    @Test
    void copytoolStopsWithItsAgent() throws Exception {
        try (FaultRig rig = FaultRig.start(work, "agentkil", FaultScale.fromSystemProperties(), new Random(1))) {
            rig.startCoordinator(rig.coordinatorSettings());
            rig.startMovers(2, s -> s.copytool("-b", "16k"));
            List<Path> files = rig.site.createFiles("slow", 6, 64 * 1024);
            rig.files.addAll(files);
            rig.site.lfs("hsm_archive", files);
            MoverSite.awaitStatus(rig.coordinator, "mover1 transferring",
                    s -> MoverSite.client(s, "mover1").path("current_archive").asInt() > 0);
            MoverProcess killed = rig.movers.get(0);
            ProcessHandle copytool = killed.killAgent();
            Await.until(MoverSite.DEADLINE, "the copytool of the killed agent stopped",
                    () -> MoverProcess.hasEnded(copytool));
            rig.trace.killed(killed.logFile());
            rig.restartMover(0);
            rig.verifyDrained(files.size());
        }
    }
}
