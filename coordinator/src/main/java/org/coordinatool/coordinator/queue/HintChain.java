package org.coordinatool.coordinator.queue;

/** The requests of one sub-queue sharing one batching tag, in queue order. */
final class HintChain {
    final String hint;
    Request head;
    Request tail;

    HintChain(String hint) {
        this.hint = hint;
    }
}
