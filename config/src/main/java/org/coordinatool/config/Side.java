package org.coordinatool.config;

/** Which program reads the configuration; each reads only the keys it understands. */
public enum Side {
    /** The coordinator server. */
    SERVER,
    /** Agents and the command-line client. */
    CLIENT
}
