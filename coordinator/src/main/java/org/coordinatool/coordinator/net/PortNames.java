package org.coordinatool.coordinator.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves the {@code port} setting: a number, or a TCP service name from the services database
 * as getaddrinfo accepts it.
 */
public final class PortNames {

    public static final Path SERVICES = Path.of("/etc/services");

    private PortNames() {
    }

    /** @throws IllegalArgumentException when the value is neither a port number nor a known TCP service */
    public static int resolve(String port) {
        return resolve(port, SERVICES);
    }

    static int resolve(String port, Path services) {
        String p = port.trim();
        if (p.isEmpty()) {
            throw new IllegalArgumentException("empty port");
        }
        if (p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (p.length() > 5 || Integer.parseInt(p) > 65535) {
                throw new IllegalArgumentException("port " + p + " out of range 0..65535");
            }
            return Integer.parseInt(p);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(services, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("unknown service '" + p + "' (no " + services + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("unknown service '" + p + "': cannot read " + services + ": " + e);
        }
        for (String line : lines) {
            int hash = line.indexOf('#');
            String[] words = (hash < 0 ? line : line.substring(0, hash)).trim().split("\\s+");
            if (words.length < 2 || !words[1].endsWith("/tcp")) {
                continue;
            }
            for (int i = 0; i < words.length; i++) {
                if (i != 1 && words[i].equals(p)) {
                    try {
                        return Integer.parseInt(words[1].substring(0, words[1].length() - 4));
                    } catch (NumberFormatException e) {
                        break;
                    }
                }
            }
        }
        throw new IllegalArgumentException("unknown service '" + p + "'");
    }
}
