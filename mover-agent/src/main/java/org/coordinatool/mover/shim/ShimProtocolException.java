package org.coordinatool.mover.shim;

/** A peer broke the shim protocol; the connection is closed. */
public class ShimProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    public ShimProtocolException(String message) {
        super(message);
    }

    /** A REGISTER of another protocol version: answered with -EPROTONOSUPPORT before closing. */
    public static final class UnsupportedVersion extends ShimProtocolException {

        private static final long serialVersionUID = 1L;

        UnsupportedVersion(int version) {
            super("REGISTER of protocol version " + version + ", this agent speaks version "
                    + ShimProtocol.VERSION);
        }
    }
}
