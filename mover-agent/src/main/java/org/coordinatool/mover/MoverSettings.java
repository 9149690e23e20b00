package org.coordinatool.mover;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.coordinatool.config.ClientSettings;
import org.coordinatool.coordinator.client.ClientProtection;

/**
 * Everything the agent runs with.
 *
 * @param client       host, port, client_id, max_*, hal_size from the configuration
 * @param protection   TLS and token for the coordinator connection, read from the files named by
 *                     {@code client}
 * @param command      the copytool's command line
 * @param shimLibrary  libcoordinatool_preload.so, absolute
 * @param socketParent where the agent creates its private socket directory
 * @param restartDelay pause before the first restart of a copytool that exited
 * @param maxRestarts  restarts allowed within {@code restartWindow}; one more exit ends the agent
 * @param stopTimeout  how long running transfers may take to finish once the agent is asked to stop
 */
public record MoverSettings(ClientSettings client, ClientProtection protection, List<String> command, Path shimLibrary, Path socketParent,
                            Duration restartDelay, int maxRestarts, Duration restartWindow,
                            Duration stopTimeout) {

    /** The coordinator refuses a recv whose max_bytes could not hold one item header plus a margin. */
    public static final long MIN_HAL_SIZE = 172;

    public MoverSettings {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(protection, "protection");
        command = List.copyOf(command);
        Objects.requireNonNull(shimLibrary, "shimLibrary");
        Objects.requireNonNull(socketParent, "socketParent");
        if (client.halSize() != ClientSettings.UNLIMITED && client.halSize() < MIN_HAL_SIZE) {
            throw new IllegalArgumentException("hal_size " + client.halSize() + " is too small: the coordinator"
                    + " needs at least " + MIN_HAL_SIZE + " bytes");
        }
        if (stopTimeout.isNegative()) {
            throw new IllegalArgumentException("the stop timeout must not be negative");
        }
    }
}
