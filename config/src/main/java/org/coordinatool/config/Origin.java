package org.coordinatool.config;

import java.nio.file.Path;

/** Where a configured value came from; its description prefixes diagnostics and errors. */
sealed interface Origin {

    String describe();

    record FileLine(Path file, int line) implements Origin {
        @Override
        public String describe() {
            return file + ":" + line;
        }
    }

    record EnvironmentVariable(String name) implements Origin {
        @Override
        public String describe() {
            return "environment variable " + name;
        }
    }

    record CommandLine() implements Origin {
        @Override
        public String describe() {
            return "command line";
        }
    }
}
