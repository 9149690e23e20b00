package org.coordinatool.tests.support;

/** Checks on the text of a process's log file. */
public final class LogText {

    private LogText() {
    }

    /** Occurrences of {@code fragment} in {@code text}. */
    public static int count(String text, String fragment) {
        int n = 0;
        for (int i = text.indexOf(fragment); i >= 0; i = text.indexOf(fragment, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * Asserts that each fragment occurs, every occurrence after every occurrence of the fragment
     * before it: for a single-threaded event loop's log, the order in which things happened.
     */
    public static void assertInOrder(String text, String... fragments) {
        for (int i = 1; i < fragments.length; i++) {
            int lastBefore = text.lastIndexOf(fragments[i - 1]);
            int firstAfter = text.indexOf(fragments[i]);
            if (lastBefore < 0 || firstAfter < 0 || lastBefore > firstAfter) {
                throw new AssertionError("expected every '" + fragments[i - 1] + "' before any '" + fragments[i]
                        + "' in\n" + text);
            }
        }
    }
}
