package org.coordinatool.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Whitespace as the C library sees it ({@code isspace} in the "C" locale). Java's own notions
 * also cover Unicode spaces, which the file format does not treat as separators.
 */
final class CText {

    private CText() {
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** Index of the first non-space character at or after {@code from} (length if none). */
    static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Index just after the word starting at {@code from}. */
    static int skipWord(String text, int from) {
        int i = from;
        while (i < text.length() && !isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code text} without trailing spaces. */
    static String stripTrailing(String text) {
        int end = text.length();
        while (end > 0 && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** The words of {@code text}, split on runs of spaces. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int i = skipSpaces(text, 0);
        while (i < text.length()) {
            int end = skipWord(text, i);
            words.add(text.substring(i, end));
            i = skipSpaces(text, end);
        }
        return words;
    }
}
