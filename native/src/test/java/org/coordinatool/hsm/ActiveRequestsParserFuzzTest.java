package org.coordinatool.hsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * Any text is split into one outcome per line, numbered from 1, without an exception; a line that
 * parses says the same thing once printed again the way the MDT prints requests.
 */
class ActiveRequestsParserFuzzTest {

    @FuzzTest
    void parse(byte[] input) throws IOException {
        String text = new String(input, StandardCharsets.UTF_8);
        List<ActiveRequestsLine> lines = ActiveRequestsParser.parseAll(new StringReader(text));

        long newlines = text.chars().filter(c -> c == '\n').count();
        boolean unterminated = !text.isEmpty() && !text.endsWith("\n");
        assertEquals(newlines + (unterminated ? 1 : 0), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            ActiveRequestsLine line = lines.get(i);
            assertEquals(i + 1, line.lineNumber());
            if (line instanceof ActiveRequestsLine.Parsed parsed) {
                ActiveRequest request = parsed.request();
                String printed = mdtLine(request);
                assertEquals(request, assertInstanceOf(ActiveRequestsLine.Parsed.class,
                        ActiveRequestsParser.parseLine(1, printed), printed).request());
            } else if (line instanceof ActiveRequestsLine.Malformed malformed) {
                assertFalse(malformed.error().isEmpty());
                assertTrue(malformed.text().length() <= ActiveRequestsParser.MAX_LINE_LENGTH);
            }
        }
    }

    /** The line the MDT prints for a request (the Lustre HSM ABI, §5.10). */
    private static String mdtLine(ActiveRequest r) {
        return "fid=" + r.fid().format() + " dfid=" + r.dfid().format()
                + " compound/cookie=" + hex(r.compoundId()) + "/" + hex(r.cookie())
                + " action=" + r.action().name() + " archive#=" + r.archiveId()
                + " flags=" + hex(r.flags())
                + " extent=" + hex(r.extent().offset()) + "-" + hex(r.extent().length())
                + " gid=" + hex(r.gid())
                + " data=[" + HexFormat.of().withUpperCase().formatHex(r.data()) + "]"
                + " canceled=0 uuid=0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 done=0";
    }

    /** printf's {@code %#llx}: zero without the prefix. */
    private static String hex(long value) {
        return value == 0 ? "0" : "0x" + Long.toHexString(value);
    }
}
