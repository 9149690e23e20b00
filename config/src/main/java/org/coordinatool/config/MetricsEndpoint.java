package org.coordinatool.config;

import java.util.Objects;

/**
 * Where a program serves its Prometheus metrics over HTTP.
 *
 * @param host address to bind
 * @param port TCP port; 0 disables the endpoint
 */
public record MetricsEndpoint(String host, int port) {

    public MetricsEndpoint {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics port " + port + " outside 0..65535");
        }
    }

    public boolean enabled() {
        return port != 0;
    }
}
