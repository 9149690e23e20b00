package org.coordinatool.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's host name, as {@code gethostname(2)} returns it. Read from procfs rather than
 * through {@code InetAddress.getLocalHost()}, which fails when the name does not resolve.
 */
final class LocalHostName {
    private static final Path KERNEL_HOST_NAME = Path.of("/proc/sys/kernel/hostname");

    private LocalHostName() {
    }

    static String read() {
        try {
            return Files.readString(KERNEL_HOST_NAME).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + KERNEL_HOST_NAME, e);
        }
    }
}
