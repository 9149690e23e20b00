package org.coordinatool.coordinator.cli;

import java.util.List;
import java.util.function.IntPredicate;

/** Lays out rows of cells in columns as wide as their widest cell, two spaces apart. */
final class TextTable {

    private TextTable() {
    }

    /**
     * Renders {@code rows} (the first is the header), one line each with no trailing blanks; the
     * cells of the columns {@code rightAligned} accepts are padded on the left, the others on the right.
     */
    static String render(List<String[]> rows, IntPredicate rightAligned) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(width[i] - row[i].length());
                line.append(i == 0 ? "" : "  ").append(rightAligned.test(i) ? pad + row[i] : row[i] + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
