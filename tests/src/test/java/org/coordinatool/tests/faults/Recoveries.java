package org.coordinatool.tests.faults;

import java.util.LongSummaryStatistics;

/** The faults a scenario injected and how long the site took to serve again after each. */
final class Recoveries {

    private final LongSummaryStatistics millis = new LongSummaryStatistics();

    void add(long recoveryMillis) {
        millis.accept(recoveryMillis);
    }

    /** "N faults, recovery max X ms, mean Y ms". */
    String describe() {
        return millis.getCount() + " faults injected, recovery max " + millis.getMax() + " ms, mean "
                + Math.round(millis.getAverage()) + " ms";
    }
}
