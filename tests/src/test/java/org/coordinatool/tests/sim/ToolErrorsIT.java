package org.coordinatool.tests.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.coordinatool.tests.support.ProcessResult;
import org.coordinatool.tests.support.Processes;
import org.coordinatool.tests.support.SimMount;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every simulator tool rejects bad arguments and impossible requests with a usage line or a clear
 * message and a non-zero exit status, and a failed call changes nothing.
 */
class ToolErrorsIT {

    @TempDir
    static Path work;

    private static SimMount mount;
    private static Path mnt;
    private static Path plain;

    @BeforeAll
    static void start() throws Exception {
        mount = SimMount.start(work.resolve("mnt"), "errtest");
        mnt = mount.root();
        plain = Files.createDirectories(work.resolve("plain"));
        Files.writeString(plain.resolve("f"), "not on lustre");
        Files.writeString(mnt.resolve("f"), "on lustre");
        Files.createDirectories(mnt.resolve("d"));
    }

    @AfterAll
    static void stop() {
        mount.close();
    }

    static Stream<Arguments> badCalls() {
        return Stream.of(
                call("usage: lfs COMMAND", "lfs"),
                call("'bogus' is not a valid command", "lfs", "bogus"),
                call("no file specified", "lfs", "hsm_archive"),
                call("Cannot stat {mnt}/nofile: No such file or directory", "lfs", "hsm_archive", "{mnt}/nofile"),
                call("error: \"{mnt}/d\" is not a regular file", "lfs", "hsm_archive", "{mnt}/d"),
                call("error: -a is supported only when archiving or removing", "lfs", "hsm_restore", "-a", "1", "{mnt}/f"),
                call("lfs hsm_state: get HSM state for '{plain}/f' failed", "lfs", "hsm_state", "{plain}/f"),
                call("lfs fid2path: invalid FID 'bogus'", "lfs", "fid2path", "{mnt}", "bogus"),
                call("cannot find {mnt} [0x200000401:0x9999:0x0]: No such file or directory",
                        "lfs", "fid2path", "{mnt}", "[0x200000401:0x9999:0x0]"),
                call("FILE... must be specified", "lfs", "path2fid"),
                call("Cannot read FID of {plain}/f", "lfs", "hsm_archive", "{mnt}/f", "{plain}/f"),
                call("usage: lsim start", "lsim"),
                call("--fsname is required", "lsim", "start", "--root", "{plain}"),
                call("already running", "lsim", "start", "--root", "{mnt}", "--fsname", "errtest"),
                call("unknown parameter 'bogus'", "lsim", "set", "--root", "{mnt}", "bogus=1"),
                call("max_requests must be an integer", "lsim", "set", "--root", "{mnt}", "max_requests=0"),
                call("max_requests must be an integer", "lsim", "set", "--root", "{mnt}", "max_requests=abc"),
                call("not inside a simulated Lustre mount", "lsim", "status", "--root", "{plain}"),
                call("must specify a root directory for the backend", "lsim-copytool", "{mnt}"),
                call("cannot find a Lustre filesystem mounted at '{plain}'",
                        "lsim-copytool", "-p", "{plain}", "{plain}"),
                call("no mount point specified", "lsim-copytool", "-p", "{plain}"),
                call("unrecognized option '--bogus'", "lsim-copytool", "--bogus"),
                call("invalid archive-id: '-3'", "lsim-copytool", "-p", "{plain}", "-A", "-3", "{mnt}"),
                call("--root is required", "lsim", "inject", "--count", "1"),
                call("--count is required", "lsim", "inject", "--root", "{mnt}"),
                call("--count must be in 1..2147483647, got '0'", "lsim", "inject", "--root", "{mnt}", "--count", "0"),
                call("--batch must be in 1..52, got '53'", "lsim", "inject", "--root", "{mnt}", "--count", "1",
                        "--batch", "53"),
                call("--rate must be a number in 0..1e9, got '-1'", "lsim", "inject", "--root", "{mnt}", "--count", "1",
                        "--rate", "-1"),
                call("--size must be in 0..1073741824, got 'big'", "lsim", "inject", "--root", "{mnt}", "--count", "1",
                        "--size", "big"),
                call("--dir must be a plain file name, got 'a/b'", "lsim", "inject", "--root", "{mnt}", "--count", "1",
                        "--dir", "a/b"),
                call("unexpected argument 'extra'", "lsim", "inject", "--root", "{mnt}", "--count", "1", "extra"),
                call("cannot create {mnt}/d: File exists", "lsim", "inject", "--root", "{mnt}", "--count", "1",
                        "--dir", "d"),
                call("cannot get the FID of f.0: Operation not supported", "lsim", "inject", "--root", "{plain}",
                        "--count", "1"),
                call("MOUNTPOINT missing", "lsim-noop-copytool"),
                call("bad archive id '0'", "lsim-noop-copytool", "-A", "0", "{mnt}"),
                call("unknown option '--bogus'", "lsim-noop-copytool", "--bogus", "{mnt}"),
                call("cannot register with {plain}", "lsim-noop-copytool", "{plain}"));
    }

    private static Arguments call(String expectedMessage, String tool, String... args) {
        return Arguments.of(expectedMessage, tool, List.of(args));
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("badCalls")
    void badCallFailsWithAClearMessage(String expectedMessage, String tool, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(SimMount.tool(tool).toString());
        args.forEach(a -> cmd.add(expand(a)));
        String actions = mount.lsim("actions").requireOk().stdout();

        ProcessResult r = Processes.run(SimMount.TOOL_TIMEOUT, cmd);

        assertNotEquals(0, r.exitCode(), r.describe());
        String expected = expand(expectedMessage);
        assertTrue((r.stderr() + r.stdout()).contains(expected), "expected '" + expected + "' in\n" + r.describe());
        assertEquals(actions, mount.lsim("actions").requireOk().stdout(), "a failed call queues nothing");
    }

    private static String expand(String s) {
        return s.replace("{mnt}", mnt.toString()).replace("{plain}", plain.toString());
    }
}
