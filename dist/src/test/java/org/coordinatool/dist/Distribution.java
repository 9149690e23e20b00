package org.coordinatool.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The distribution archive built by this module, unpacked with tar as a user would. */
final class Distribution {

    record Result(int status, String out, String err) {
    }

    private Distribution() {
    }

    static Path archive() {
        return Path.of(System.getProperty("dist.archive"));
    }

    /** Unpacks the archive into {@code dir}; returns its top directory, coordinatool-VERSION. */
    static Path unpack(Path dir) throws Exception {
        Result tar = run(Map.of(), List.of("tar", "-xzf", archive().toString(), "-C", dir.toString()));
        assertEquals(0, tar.status(), tar.err());
        String name = archive().getFileName().toString().replaceFirst("\\.tar\\.gz$", "");
        return dir.resolve(name);
    }

    /**
     * Runs a command to its end with standard input closed; variables mapped to null are removed
     * from the environment.
     */
    static Result run(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail(command + " still running after 90 s");
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    static Result run(Map<String, String> env, Path program, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(args));
        return run(env, command);
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Writes an empty file, used as COORDINATOOL_CONF so that the host's /etc is not read. */
    static Path emptyConfig(Path dir) throws IOException {
        return Files.writeString(dir.resolve("empty.conf"), "");
    }
}
