package org.coordinatool.bench;

import java.util.NoSuchElementException;

/** A first-in first-out queue of ints in a growable ring, without boxing. */
final class IndexQueue {

    private int[] ring = new int[256];
    private int head;
    private int size;

    void add(int value) {
        if (size == ring.length) {
            int[] bigger = new int[ring.length * 2];
            int firstPart = ring.length - head;
            System.arraycopy(ring, head, bigger, 0, firstPart);
            System.arraycopy(ring, 0, bigger, firstPart, head);
            ring = bigger;
            head = 0;
        }
        ring[(head + size) % ring.length] = value;
        size++;
    }

    int poll() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        int value = ring[head];
        head = (head + 1) % ring.length;
        size--;
        return value;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }
}
