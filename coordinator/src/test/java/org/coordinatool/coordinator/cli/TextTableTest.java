package org.coordinatool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void padsEachColumnToItsWidestCellAndDropsTrailingBlanks() {
        String table = TextTable.render(List.of(
                new String[] {"client", "n", "state"},
                new String[] {"1", "12345", "ok"}), column -> false);
        assertEquals("client  n      state\n1       12345  ok\n", table);
    }

    @Test
    void rightAlignedColumnsArePaddedOnTheLeft() {
        String table = TextTable.render(List.of(
                new String[] {"client", "count", "x"},
                new String[] {"1", "7", ""}), column -> column == 1);
        assertEquals("client  count  x\n1           7\n", table);
    }
}
