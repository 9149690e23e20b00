package org.coordinatool.coordinator.lustre;

import java.util.Objects;
import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.lustre.Copytool;
import org.coordinatool.lustre.LustreException;

/**
 * Action lists from a copytool registered with a non-blocking pipe: wait with poll on the
 * library's descriptor, then receive, as the original server does from its event loop. Waiting
 * outside the library lets the receiving thread notice a stop request between waits; a thread
 * blocked inside the library's read could not be woken without unregistering under it.
 */
public final class CopytoolSource implements ActionListSource {

    private final Copytool copytool;
    private final int fd;

    public CopytoolSource(Copytool copytool) throws LustreException {
        this.copytool = Objects.requireNonNull(copytool, "copytool");
        this.fd = copytool.fd();
    }

    @Override
    public boolean await(int timeoutMillis) throws LustreException {
        return Poll.readable(fd, timeoutMillis);
    }

    @Override
    public HsmActionList receive() throws LustreException {
        return copytool.recv();
    }
}
