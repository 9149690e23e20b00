package org.coordinatool.bench;

/**
 * What the connections of a run tell the run. Called on the run's event loop.
 */
interface RunControl {

    /** An agent's ehlo was accepted. */
    void agentReady();

    /** The injector's ehlo was accepted: it can queue. */
    void injectorReady();

    /** Every queue message of the current injection phase was acknowledged. */
    void phaseInjected();

    /** A request was dispatched or completed. */
    void progress();

    /** Something went wrong that ends the run (already recorded in the ledger). */
    void abort();

    /** Whether the run is over, so that closed connections are expected. */
    boolean finished();
}
