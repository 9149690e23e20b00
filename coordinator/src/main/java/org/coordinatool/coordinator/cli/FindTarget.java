package org.coordinatool.coordinator.cli;

import java.nio.file.Path;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.FindJson;
import org.coordinatool.coordinator.protocol.InvalidContentException;

/**
 * The operand of {@code --find}: a FID ({@code [0x200000401:0x1:0x0]} or without brackets) or a
 * path, which the server resolves and so is sent absolute. Text that parses as a FID is a FID; a
 * file named like one is reached as {@code ./NAME}. Text starting with '[' must be a FID.
 */
final class FindTarget {

    private FindTarget() {
    }

    /** @throws IllegalArgumentException for a bracketed operand that is not a valid FID, or an empty one */
    static Command.Find parse(String operand) {
        if (operand.isEmpty()) {
            throw new IllegalArgumentException("--find needs a FID or a path");
        }
        try {
            return new Command.Find(FindJson.parseFid(operand), null);
        } catch (InvalidContentException e) {
            if (operand.startsWith("[")) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return new Command.Find(null, Path.of(operand).toAbsolutePath().toString());
    }
}
