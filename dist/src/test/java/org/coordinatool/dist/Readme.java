package org.coordinatool.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The repository's README.md, read by section. */
final class Readme {

    static final Path FILE = Path.of("..", "README.md");

    private Readme() {
    }

    /** The lines of the section under {@code heading} (a whole heading line), up to the next of its level or above. */
    static List<String> section(String heading) throws IOException {
        List<String> lines = Files.readAllLines(FILE);
        int start = lines.indexOf(heading);
        if (start < 0) {
            throw new AssertionError(FILE + " has no section '" + heading + "'");
        }
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = start + 1;
        while (end < lines.size() && !endsSection(lines.get(end), level)) {
            end++;
        }
        return lines.subList(start + 1, end);
    }

    private static boolean endsSection(String line, String level) {
        return line.startsWith("#") && line.indexOf(' ') > 0 && line.indexOf(' ') <= level.length() - 1
                && line.substring(0, line.indexOf(' ')).chars().allMatch(c -> c == '#');
    }

    /** The shell commands of the fenced code blocks of {@code section}, continuation lines joined. */
    static List<String> commands(List<String> section) {
        List<String> commands = new ArrayList<>();
        boolean inBlock = false;
        StringBuilder pending = new StringBuilder();
        for (String line : section) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock || line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1);
                continue;
            }
            commands.add(pending.append(line).toString().strip().replaceAll("\\s+", " "));
            pending.setLength(0);
        }
        return commands;
    }
}
