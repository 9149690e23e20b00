package org.coordinatool.tests.support;

/** The one-line summary each end-to-end scenario prints: what it moved and how long it took. */
public final class Summary {

    private final String name;
    private final long t0 = System.nanoTime();

    private Summary(String name) {
        this.name = name;
    }

    /** Starts the clock of scenario {@code name}. */
    public static Summary start(String name) {
        return new Summary(name);
    }

    public long elapsedMs() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Prints "{@code name}: {@code what} in N ms". */
    public void print(String what) {
        System.out.printf("%s: %s in %d ms%n", name, what, elapsedMs());
    }
}
