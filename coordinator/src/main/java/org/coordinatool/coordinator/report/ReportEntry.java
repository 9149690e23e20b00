package org.coordinatool.coordinator.report;

/** One reporting file in use: how many live requests name it, and its deletion countdown. */
public final class ReportEntry {
    private final String name;
    int references;
    /** Ticks left before the file is deleted; meaningful only while on the cleanup list. */
    int countdown;
    boolean awaitingCleanup;

    ReportEntry(String name) {
        this.name = name;
    }

    /** The file name inside the reporting directory. */
    public String name() {
        return name;
    }
}
