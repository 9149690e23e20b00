package org.coordinatool.coordinator.lustre;

import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.lustre.LustreException;

/** Ends a request in Lustre with an error without running it ({@code Copytool#reportError}). */
@FunctionalInterface
public interface ErrorReporter {
    void reportError(HsmActionItem item, int errno) throws LustreException;
}
