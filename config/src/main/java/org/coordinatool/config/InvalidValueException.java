package org.coordinatool.config;

/**
 * A value that does not follow its key's syntax or range. Carries only the detail; the loader
 * adds where the value came from and which key it belongs to.
 */
final class InvalidValueException extends Exception {
    InvalidValueException(String detail) {
        super(detail);
    }
}
