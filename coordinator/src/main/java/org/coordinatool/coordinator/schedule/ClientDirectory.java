package org.coordinatool.coordinator.schedule;

import java.util.List;
import org.coordinatool.coordinator.core.Client;

/** The clients routing can pick from. */
public interface ClientDirectory {

    /** Connected agents, most recently connected first. */
    List<Client> connectedAgents();

    /** The connected client that completed ehlo under this id, null if none. */
    Client connected(String id);

    /** The disconnected client (in grace, or a placeholder) with this id, null if none. */
    Client disconnected(String id);

    /** Creates a disconnected placeholder for an agent that is not known yet. */
    Client placeholder(String id);
}
