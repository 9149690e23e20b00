package org.coordinatool.coordinator.protocol;

/**
 * Well-formed JSON whose content does not fit the protocol: a missing member, a member of the
 * wrong type, a number out of range. The parser has consumed the offending value when this is
 * thrown, so the caller can carry on with the rest of the message.
 */
public final class InvalidContentException extends Exception {

    public InvalidContentException(String message) {
        super(message, null, false, false);
    }
}
