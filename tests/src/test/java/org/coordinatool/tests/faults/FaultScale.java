package org.coordinatool.tests.faults;

import java.time.Duration;

/**
 * How hard the fault-injection scenarios push: {@code -Dfaults.scale=small} (the default, what
 * {@code mvn verify} runs) or {@code large}; {@code -Dfaults.seed=N} replays a run's random choices
 * (each scenario prints the seed it used).
 *
 * @param filesPerRound archive requests submitted at the start of each round, all in flight at once
 * @param rounds        rounds per scenario, each with its own faults at random moments
 * @param deadline      how long a round may take to drain once its faults are over
 */
record FaultScale(String name, int filesPerRound, int rounds, Duration deadline, long seed) {

    static FaultScale fromSystemProperties() {
        String name = System.getProperty("faults.scale", "small");
        long seed = Long.getLong("faults.seed", System.nanoTime());
        return switch (name) {
            case "small" -> new FaultScale(name, 250, 2, Duration.ofSeconds(90), seed);
            case "large" -> new FaultScale(name, 5000, 10, Duration.ofMinutes(15), seed);
            default -> throw new IllegalArgumentException("faults.scale must be small or large, not '" + name + "'");
        };
    }
}
