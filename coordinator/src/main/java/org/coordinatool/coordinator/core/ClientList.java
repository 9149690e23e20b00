package org.coordinatool.coordinator.core;

import java.util.ArrayList;
import java.util.List;

/**
 * An intrusive doubly-linked list of clients, newest first, with O(1) insertion at the front and
 * O(1) removal. A client has one node per list kind it can be on.
 */
final class ClientList {

    static final class Node {
        final Client client;
        ClientList list;
        Node prev;
        Node next;

        Node(Client client) {
            this.client = client;
        }
    }

    private Node head;
    private Node tail;
    private int size;

    void addFirst(Node n) {
        if (n.list != null) {
            throw new IllegalStateException(n.client + " is already listed");
        }
        n.list = this;
        n.next = head;
        if (head == null) {
            tail = n;
        } else {
            head.prev = n;
        }
        head = n;
        size++;
    }

    void remove(Node n) {
        if (n.list != this) {
            return;
        }
        if (n.prev == null) {
            head = n.next;
        } else {
            n.prev.next = n.next;
        }
        if (n.next == null) {
            tail = n.prev;
        } else {
            n.next.prev = n.prev;
        }
        n.list = null;
        n.prev = null;
        n.next = null;
        size--;
    }

    /** Puts {@code replacement} where {@code n} is. */
    void replace(Node n, Node replacement) {
        if (n.list != this || replacement.list != null) {
            throw new IllegalStateException("bad list replacement");
        }
        replacement.list = this;
        replacement.prev = n.prev;
        replacement.next = n.next;
        if (n.prev == null) {
            head = replacement;
        } else {
            n.prev.next = replacement;
        }
        if (n.next == null) {
            tail = replacement;
        } else {
            n.next.prev = replacement;
        }
        n.list = null;
        n.prev = null;
        n.next = null;
    }

    /** The oldest entry, null when empty. */
    Client last() {
        return tail == null ? null : tail.client;
    }

    /** A snapshot, newest first, for walks that change the list. */
    List<Client> snapshot() {
        List<Client> all = new ArrayList<>(size);
        for (Node n = head; n != null; n = n.next) {
            all.add(n.client);
        }
        return all;
    }
}
