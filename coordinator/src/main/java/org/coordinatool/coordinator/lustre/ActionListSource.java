package org.coordinatool.coordinator.lustre;

import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.lustre.LustreException;

/** Where the server's action lists come from: the registered copytool. */
public interface ActionListSource {

    /**
     * Waits until a list can be read, at most {@code timeoutMillis}.
     *
     * @return false when the time ran out
     */
    boolean await(int timeoutMillis) throws LustreException;

    /** Reads one list; EAGAIN when none is pending after all. */
    HsmActionList receive() throws LustreException;
}
