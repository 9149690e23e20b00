package org.coordinatool.coordinator.cli;

import java.io.PrintStream;

/** A one-line progress bar redrawn in place on a terminal, only when its text changes. */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private String last = "";

    ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    void update(long done) {
        int percent = total == 0 ? 100 : (int) (done * 100 / total);
        int filled = percent * WIDTH / 100;
        String text = String.format("\r%s [%s%s] %3d%% %d/%d", label, "#".repeat(filled),
                "-".repeat(WIDTH - filled), percent, done, total);
        if (!text.equals(last)) {
            out.print(text);
            out.flush();
            last = text;
        }
    }

    void finish() {
        if (!last.isEmpty()) {
            out.println();
        }
    }
}
