package org.coordinatool.hsm;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Parses the MDT's {@code hsm.active_requests} listing ({@code lctl get_param [-n]
 * mdt.*.hsm.active_requests} or the debugfs file) into requests that can be queued again.
 *
 * <p>A request line is a set of space-separated {@code keyword=value} tokens in any order; each
 * keyword must start the line or follow a space (so {@code fid=[} is not found inside
 * {@code dfid=[}); unknown tokens are ignored; {@code fid=[}, {@code dfid=[},
 * {@code compound/cookie=}, {@code action=}, {@code archive#=}, {@code flags=}, {@code extent=},
 * {@code gid=} and {@code data=[} are mandatory. Numbers are read as printf wrote them:
 * {@code %#llx} values (zero printed as {@code 0}) with or without {@code 0x}.
 */
public final class ActiveRequestsParser {

    /** Longest accepted line, terminator excluded. */
    public static final int MAX_LINE_LENGTH = 10_000;

    /** How much of an over-long line a {@link ActiveRequestsLine.Malformed} keeps. */
    static final int KEPT_TEXT_LENGTH = 200;

    private static final long UINT32_MAX = 0xffff_ffffL;

    private ActiveRequestsParser() {
    }

    /** Parses one line given without its terminator. */
    public static ActiveRequestsLine parseLine(int lineNumber, String line) {
        if (line.length() > MAX_LINE_LENGTH) {
            return new ActiveRequestsLine.Malformed(lineNumber, line.substring(0, KEPT_TEXT_LENGTH),
                    "line of " + line.length() + " characters exceeds the limit of " + MAX_LINE_LENGTH);
        }
        if (line.isBlank()) {
            return new ActiveRequestsLine.Skipped(lineNumber, ActiveRequestsLine.SkipReason.BLANK);
        }
        if (line.startsWith("mdt.") && line.endsWith("=")) {
            return new ActiveRequestsLine.Skipped(lineNumber, ActiveRequestsLine.SkipReason.HEADER);
        }
        try {
            return new ActiveRequestsLine.Parsed(lineNumber, parseRequest(line));
        } catch (LineError e) {
            return new ActiveRequestsLine.Malformed(lineNumber, line, e.getMessage());
        }
    }

    /**
     * Reads a whole listing and hands every line's outcome to {@code sink} in order. Lines end
     * with {@code \n} (a preceding {@code \r} is dropped); text after the last newline is reported
     * as malformed because a listing cut short can end in a number that still parses but is wrong.
     */
    public static void parse(Reader in, Consumer<? super ActiveRequestsLine> sink) throws IOException {
        char[] buf = new char[8192];
        StringBuilder line = new StringBuilder(512);
        int lineNumber = 1;
        int lineLength = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                char c = buf[i];
                if (c == '\n') {
                    sink.accept(completeLine(lineNumber++, line, lineLength));
                    line.setLength(0);
                    lineLength = 0;
                } else {
                    lineLength++;
                    // Past the limit only the count grows: an endless line cannot exhaust memory.
                    if (line.length() <= MAX_LINE_LENGTH) {
                        line.append(c);
                    }
                }
            }
        }
        if (lineLength > MAX_LINE_LENGTH) {
            sink.accept(completeLine(lineNumber, line, lineLength));
        } else if (lineLength > 0) {
            sink.accept(new ActiveRequestsLine.Malformed(lineNumber, line.toString(),
                    "last line is not terminated by a newline (input cut short?)"));
        }
    }

    public static List<ActiveRequestsLine> parseAll(Reader in) throws IOException {
        List<ActiveRequestsLine> lines = new ArrayList<>();
        parse(in, lines::add);
        return lines;
    }

    private static ActiveRequestsLine completeLine(int lineNumber, StringBuilder line, int lineLength) {
        if (lineLength > MAX_LINE_LENGTH) {
            return new ActiveRequestsLine.Malformed(lineNumber, keep(line),
                    "line of " + lineLength + " characters exceeds the limit of " + MAX_LINE_LENGTH);
        }
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        return parseLine(lineNumber, line.substring(0, end));
    }

    private static String keep(CharSequence line) {
        return line.subSequence(0, Math.min(line.length(), KEPT_TEXT_LENGTH)).toString();
    }

    private static ActiveRequest parseRequest(String line) throws LineError {
        Fid fid = fidValue(line, "fid=[");
        Fid dfid = fidValue(line, "dfid=[");

        String kw = "compound/cookie=";
        int at = valueStart(line, kw);
        CIntegers.Scan compound = number(line, at, at, 16, kw);
        if (compound.end() >= line.length() || line.charAt(compound.end()) != '/') {
            throw tokenError(line, at, kw, "expected <compound>/<cookie>");
        }
        CIntegers.Scan cookie = number(line, at, compound.end() + 1, 16, kw);
        tokenEnd(line, at, cookie.end(), kw);

        HsmAction action = actionValue(line);
        int archiveId = archiveValue(line);

        kw = "flags=";
        at = valueStart(line, kw);
        CIntegers.Scan flags = number(line, at, at, 0, kw);
        tokenEnd(line, at, flags.end(), kw);

        kw = "extent=";
        at = valueStart(line, kw);
        CIntegers.Scan offset = number(line, at, at, 16, kw);
        if (offset.end() >= line.length() || line.charAt(offset.end()) != '-') {
            throw tokenError(line, at, kw, "expected <offset>-<length>");
        }
        CIntegers.Scan length = number(line, at, offset.end() + 1, 16, kw);
        tokenEnd(line, at, length.end(), kw);

        kw = "gid=";
        at = valueStart(line, kw);
        CIntegers.Scan gid = number(line, at, at, 0, kw);
        tokenEnd(line, at, gid.end(), kw);

        byte[] data = dataValue(line);
        return new ActiveRequest(action, fid, dfid, compound.value(), cookie.value(), archiveId, flags.value(),
                new HsmExtent(offset.value(), length.value()), gid.value(), data);
    }

    /** Index just after {@code keyword}'s first occurrence at the line start or after a space. */
    private static int valueStart(String line, String keyword) throws LineError {
        int i = line.indexOf(keyword);
        while (i > 0 && line.charAt(i - 1) != ' ') {
            i = line.indexOf(keyword, i + 1);
        }
        if (i < 0) {
            throw new LineError("missing " + keyword);
        }
        return i + keyword.length();
    }

    private static Fid fidValue(String line, String keyword) throws LineError {
        int at = valueStart(line, keyword);
        int bracket = at - 1;
        Fid.Prefix p;
        try {
            p = Fid.parsePrefix(line, bracket);
        } catch (FidFormatException e) {
            throw tokenError(line, bracket, keyword, e.getMessage());
        }
        if (!p.closed()) {
            throw tokenError(line, bracket, keyword, "FID is not closed by ']'");
        }
        tokenEnd(line, bracket, p.end(), keyword);
        return p.fid();
    }

    private static HsmAction actionValue(String line) throws LineError {
        String kw = "action=";
        int at = valueStart(line, kw);
        String name = line.substring(at, tokenEndIndex(line, at));
        return switch (name) {
            case "ARCHIVE" -> HsmAction.ARCHIVE;
            case "RESTORE" -> HsmAction.RESTORE;
            case "REMOVE" -> HsmAction.REMOVE;
            case "CANCEL", "NOOP" -> throw new LineError(kw + name + ": only ARCHIVE, RESTORE and REMOVE can be queued");
            default -> throw new LineError(kw + name + ": unknown action");
        };
    }

    /** {@code archive#=} is printed with {@code %d}, so ids above 2^31-1 show up negative. */
    private static int archiveValue(String line) throws LineError {
        String kw = "archive#=";
        int at = valueStart(line, kw);
        boolean negative = at < line.length() && line.charAt(at) == '-';
        CIntegers.Scan id = number(line, at, negative ? at + 1 : at, 0, kw);
        tokenEnd(line, at, id.end(), kw);
        long value = id.value();
        if (Long.compareUnsigned(value, negative ? 1L << 31 : UINT32_MAX) > 0) {
            throw tokenError(line, at, kw, "archive id out of 32-bit range");
        }
        return (int) (negative ? -value : value);
    }

    private static byte[] dataValue(String line) throws LineError {
        String kw = "data=[";
        int at = valueStart(line, kw);
        int close = at;
        while (close < line.length() && line.charAt(close) != ']') {
            char c = line.charAt(close);
            if (c == ' ') {
                break;
            }
            if (CIntegers.digit(c, 16) < 0) {
                throw tokenError(line, at - 1, kw, "'" + c + "' is not a hex digit");
            }
            close++;
        }
        if (close == line.length() || line.charAt(close) != ']') {
            throw tokenError(line, at - 1, kw, "data is not closed by ']'");
        }
        int digits = close - at;
        if (digits % 2 != 0) {
            throw tokenError(line, at - 1, kw, "odd number of hex digits (" + digits + ")");
        }
        tokenEnd(line, at - 1, close + 1, kw);
        byte[] data = new byte[digits / 2];
        for (int k = 0; k < data.length; k++) {
            int hi = CIntegers.digit(line.charAt(at + 2 * k), 16);
            int lo = CIntegers.digit(line.charAt(at + 2 * k + 1), 16);
            data[k] = (byte) (hi << 4 | lo);
        }
        return data;
    }

    /**
     * An unsigned number starting exactly at {@code at}: no blanks or sign, which strtoull would
     * skip or honour but printf never writes.
     */
    private static CIntegers.Scan number(String line, int tokenStart, int at, int base, String keyword)
            throws LineError {
        if (at >= line.length() || CIntegers.digit(line.charAt(at), base == 16 ? 16 : 10) < 0) {
            throw tokenError(line, tokenStart, keyword, "expected a number");
        }
        CIntegers.Scan scan = CIntegers.strtoull(line, at, base);
        if (scan.overflow()) {
            throw tokenError(line, tokenStart, keyword, "number does not fit in 64 bits");
        }
        return scan;
    }

    private static void tokenEnd(String line, int tokenStart, int end, String keyword) throws LineError {
        if (end < line.length() && line.charAt(end) != ' ') {
            throw tokenError(line, tokenStart, keyword, "unexpected '" + line.charAt(end) + "'");
        }
    }

    private static int tokenEndIndex(String line, int from) {
        int space = line.indexOf(' ', from);
        return space < 0 ? line.length() : space;
    }

    private static LineError tokenError(String line, int valueStart, String keyword, String what) {
        int from = Math.min(valueStart, line.length());
        String value = line.substring(from, tokenEndIndex(line, from));
        String shown = keyword.endsWith("[") ? keyword.substring(0, keyword.length() - 1) : keyword;
        return new LineError(shown + value + ": " + what);
    }

    private static final class LineError extends Exception {
        LineError(String message) {
            super(message, null, false, false);
        }
    }
}
