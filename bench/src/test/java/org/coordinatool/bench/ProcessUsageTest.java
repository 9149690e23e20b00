package org.coordinatool.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProcessUsageTest {

    @Test
    void cpuTicksAreCountedAfterACommandNameWithSpacesAndParentheses() throws IOException {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1 0 0 0 1234 567 0 0 20 0 30 0 100 0 0";
        assertEquals(1801, ProcessUsage.cpuTicks(stat));
    }

    @Test
    void peakRssIsVmHwm() {
        assertEquals(2048 * 1024, ProcessUsage.peakRss("Name:\tjava\nVmPeak:\t 9999 kB\nVmHWM:\t    2048 kB\n"));
        assertEquals(0, ProcessUsage.peakRss("Name:\tzombie\n"));
    }

    @Test
    void thisProcessIsMeasuredAndAMissingOneIsAnError() throws IOException {
        ProcessUsage self = ProcessUsage.of(ProcessHandle.current().pid());
        assertTrue(self.cpuSeconds() > 0 && self.peakRssBytes() > 0, self::toString);
        assertThrows(IOException.class, () -> ProcessUsage.of(Integer.MAX_VALUE));
    }
}
