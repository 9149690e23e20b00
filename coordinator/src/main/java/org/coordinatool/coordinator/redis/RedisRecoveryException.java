package org.coordinatool.coordinator.redis;

/** Start-up recovery could not read Redis completely; the server must not start. */
public final class RedisRecoveryException extends Exception {

    public RedisRecoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
