package org.coordinatool.config;

/**
 * Configuration that cannot be used. The message says where the bad value came from (file and
 * line, environment variable or command line) and which key it belongs to, e.g.
 * {@code /etc/coordinatool.conf:12: redis_port: value 70000 out of range 0..65535}.
 */
public final class ConfigException extends Exception {
    ConfigException(String message) {
        super(message);
    }

    ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    static ConfigException at(String where, String key, String detail) {
        return new ConfigException(where + ": " + key + ": " + detail);
    }
}
