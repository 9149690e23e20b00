package org.coordinatool.coordinator.queue;

/**
 * Insertion order shared by all queues. Appending takes the next number of an increasing counter,
 * pushing to the front the next number of a decreasing one, so the order of any queue is the order
 * of its elements' numbers even though a queue is split into several sub-queues.
 */
public final class Sequencer {
    private long tail;
    private long front = -1;

    long nextTail() {
        return tail++;
    }

    long nextFront() {
        return front--;
    }
}
