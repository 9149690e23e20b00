package org.coordinatool.tests.coordinator;

import java.nio.file.Path;
import java.time.Duration;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the scenarios that need a simulated mount and one coordinator running on it. */
abstract class RunningServerTest {

    static final Duration WAIT = CoordinatorSite.DEADLINE;

    @TempDir
    Path work;

    CoordinatorSite site;
    CoordinatorProcess server;

    /** Short filesystem name of the scenario (at most 8 characters, as on Lustre). */
    abstract String fsname();

    @BeforeEach
    void startServer() {
        site = CoordinatorSite.start(work, fsname());
        server = site.start(site.coordinator());
    }

    @AfterEach
    void stopServer() throws Exception {
        site.close();
    }
}
