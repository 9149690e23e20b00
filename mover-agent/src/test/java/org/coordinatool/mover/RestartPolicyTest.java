package org.coordinatool.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void theDelayDoublesWhileExitsAccumulateInTheWindow() {
        RestartPolicy p = new RestartPolicy(Duration.ofSeconds(1), 10, Duration.ofSeconds(60));
        assertEquals(new RestartPolicy.Decision.Restart(Duration.ofSeconds(1), 1), p.onExit(0));
        assertEquals(new RestartPolicy.Decision.Restart(Duration.ofSeconds(2), 2), p.onExit(SECOND));
        assertEquals(new RestartPolicy.Decision.Restart(Duration.ofSeconds(4), 3), p.onExit(2 * SECOND));
        assertEquals(new RestartPolicy.Decision.Restart(Duration.ofSeconds(1), 1), p.onExit(200 * SECOND),
                "earlier exits left the window");
    }

    @Test
    void theDelayIsCapped() {
        RestartPolicy p = new RestartPolicy(Duration.ofSeconds(20), 100, Duration.ofSeconds(600));
        p.onExit(0);
        p.onExit(1);
        assertEquals(new RestartPolicy.Decision.Restart(RestartPolicy.MAX_DELAY, 3), p.onExit(2));
    }

    @Test
    void moreExitsThanAllowedInTheWindowIsACrashLoop() {
        RestartPolicy p = new RestartPolicy(Duration.ofMillis(10), 2, Duration.ofSeconds(60));
        p.onExit(0);
        p.onExit(10 * SECOND);
        assertEquals(new RestartPolicy.Decision.GiveUp(3), p.onExit(20 * SECOND));
        RestartPolicy never = new RestartPolicy(Duration.ofMillis(10), 0, Duration.ofSeconds(60));
        assertEquals(new RestartPolicy.Decision.GiveUp(1), never.onExit(0));
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RestartPolicy(Duration.ofSeconds(1), -1,
                Duration.ofSeconds(60)));
        assertThrows(IllegalArgumentException.class, () -> new RestartPolicy(Duration.ofSeconds(1), 1,
                Duration.ZERO));
    }
}
