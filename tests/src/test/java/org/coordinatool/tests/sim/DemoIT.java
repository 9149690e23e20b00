package org.coordinatool.tests.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.coordinatool.tests.support.ProcessResult;
import org.coordinatool.tests.support.Processes;
import org.coordinatool.tests.support.SimMount;
import org.junit.jupiter.api.Test;

/** The README's main job, at a small size, so the demo cannot rot. */
class DemoIT {

    @Test
    void demoRunsToCompletionAndVerifiesContent() {
        ProcessResult r = Processes.run(Duration.ofMinutes(3),
                List.of(SimMount.home().resolve("demo.sh").toString(), "40")).requireOk();
        assertTrue(r.stdout().contains("content of all 40 files verified byte for byte"), r.describe());
    }
}
