package org.coordinatool.bench;

import picocli.CommandLine;

/** Checks of option values that picocli's types cannot express, reported as usage errors. */
public final class OptionChecks {

    private OptionChecks() {
    }

    /** Fails the command line with {@code message} unless {@code ok}. */
    public static void require(CommandLine cl, boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(cl, message);
        }
    }
}
