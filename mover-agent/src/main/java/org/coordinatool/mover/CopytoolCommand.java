package org.coordinatool.mover;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coordinatool.mover.shim.ShimProtocol;

/**
 * How the copytool is started: its command line, with the shim preloaded and the agent's socket
 * named in its environment. Its output goes where the agent's goes.
 */
record CopytoolCommand(List<String> command, Path shimLibrary, Path socket) {

    CopytoolCommand {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no copytool command");
        }
    }

    Process start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("LD_PRELOAD", preload(env.get("LD_PRELOAD")));
        env.put(ShimProtocol.SOCKET_ENV, socket.toString());
        return pb.start();
    }

    /** The shim goes first so that its symbols win over any other preloaded library's. */
    String preload(String existing) {
        return existing == null || existing.isBlank() ? shimLibrary.toString() : shimLibrary + ":" + existing;
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
