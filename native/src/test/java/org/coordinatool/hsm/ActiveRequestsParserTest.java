package org.coordinatool.hsm;

import org.coordinatool.hsm.ActiveRequestsLine.Malformed;
import org.coordinatool.hsm.ActiveRequestsLine.Parsed;
import org.coordinatool.hsm.ActiveRequestsLine.SkipReason;
import org.coordinatool.hsm.ActiveRequestsLine.Skipped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActiveRequestsParserTest {

    /** The constructed listing of the behaviour specification, §12.2. */
    private static final String SPEC_LISTING = """
            mdt.testfs0-MDT0000.hsm.active_requests=
            fid=[0x200005223:0x1cce:0x0] dfid=[0x200005223:0x1cce:0x0] compound/cookie=0x0/0x617d23ef action=ARCHIVE archive#=1 flags=0x0 extent=0x0-0xffffffffffffffff gid=0x0 data=[] canceled=0 uuid=0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 done=0
            fid=[0x200005223:0x1cdf:0x0] dfid=[0x200005223:0x1cdf:0x0] compound/cookie=0x0/0x617d2400 action=ARCHIVE archive#=1 flags=0x0 extent=0x0-0xffffffffffffffff gid=0x0 data=[] canceled=0 uuid=0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 done=0
            fid=[0x200000401:0x2a:0x0] dfid=[0x200000401:0x2a:0x0] compound/cookie=0x5/0x617d9001 action=RESTORE archive#=2 flags=0x0 extent=0x0-0xffffffffffffffff gid=0x0 data=[63723D666F6F] canceled=0 uuid=x done=0
            """;

    /** The exact MDT lines of the ABI reference, §5.10 (zero printed by %#llx as 0). */
    private static final String MDT_LISTING = """
            fid=[0x200000401:0x1:0x0] dfid=[0x200000401:0x1:0x0] compound/cookie=0/0x5f3b2c11 action=ARCHIVE archive#=1 flags=0 extent=0-0xffffffffffffffff gid=0 data=[] canceled=0 uuid=3e8a1c6d-4f0b-7e21-9c5a-1d2b3c4d5e6f done=1048576
            fid=[0x200000401:0x2:0x0] dfid=[0x200000402:0x1f:0x0] compound/cookie=0/0x5f3b2c12 action=RESTORE archive#=1 flags=0x4 extent=0-0xffffffffffffffff gid=0 data=[] canceled=0 uuid=3e8a1c6d-4f0b-7e21-9c5a-1d2b3c4d5e6f done=0
            fid=[0x200000401:0x3:0x0] dfid=[0x200000401:0x3:0x0] compound/cookie=0/0x5f3b2c13 action=ARCHIVE archive#=2 flags=0 extent=0-0xffffffffffffffff gid=0 data=[3031323334] canceled=1 uuid=3e8a1c6d-4f0b-7e21-9c5a-1d2b3c4d5e6f done=0
            """;

    private static final String GOOD = "fid=[0x200000401:0x1:0x0] dfid=[0x200000401:0x1:0x0] compound/cookie=0/0x5f3b2c11"
            + " action=ARCHIVE archive#=1 flags=0 extent=0-0xffffffffffffffff gid=0 data=[] canceled=0 uuid=u done=0";

    private static List<ActiveRequestsLine> parse(String text) throws IOException {
        return ActiveRequestsParser.parseAll(new StringReader(text));
    }

    private static ActiveRequest request(ActiveRequestsLine line) {
        return assertInstanceOf(Parsed.class, line).request();
    }

    private static Malformed malformed(String line) {
        return assertInstanceOf(Malformed.class, ActiveRequestsParser.parseLine(7, line));
    }

    @Test
    void parsesTheSpecificationExample() throws IOException {
        List<ActiveRequestsLine> lines = parse(SPEC_LISTING);
        assertEquals(4, lines.size());
        assertEquals(new Skipped(1, SkipReason.HEADER), lines.get(0));

        Fid f1 = new Fid(0x200005223L, 0x1cce, 0);
        assertEquals(new ActiveRequest(HsmAction.ARCHIVE, f1, f1, 0, 0x617d23efL, 1, 0, HsmExtent.WHOLE_FILE, 0,
                new byte[0]), request(lines.get(1)));
        assertEquals(2, lines.get(1).lineNumber());

        ActiveRequest second = request(lines.get(2));
        assertEquals(new Fid(0x200005223L, 0x1cdf, 0), second.fid());
        assertEquals(0x617d2400L, second.cookie());

        ActiveRequest restore = request(lines.get(3));
        Fid f3 = new Fid(0x200000401L, 0x2a, 0);
        assertEquals(new ActiveRequest(HsmAction.RESTORE, f3, f3, 5, 0x617d9001L, 2, 0, HsmExtent.WHOLE_FILE, 0,
                "cr=foo".getBytes(StandardCharsets.US_ASCII)), restore);
        assertArrayEquals("cr=foo\0\0".getBytes(StandardCharsets.US_ASCII), restore.paddedData());
        assertEquals(80, restore.toActionItem(DataPadding.NUL_TO_8).haiLength());
        assertEquals(78, restore.toActionItem(DataPadding.NONE).haiLength());
    }

    @Test
    void parsesTheMdtListingLines() throws IOException {
        List<ActiveRequestsLine> lines = parse(MDT_LISTING);
        assertEquals(3, lines.size());

        ActiveRequest a = request(lines.get(0));
        Fid f1 = new Fid(0x200000401L, 1, 0);
        assertEquals(new ActiveRequest(HsmAction.ARCHIVE, f1, f1, 0, 0x5f3b2c11L, 1, 0, HsmExtent.WHOLE_FILE, 0,
                new byte[0]), a);

        ActiveRequest r = request(lines.get(1));
        assertEquals(HsmAction.RESTORE, r.action());
        assertEquals(new Fid(0x200000401L, 2, 0), r.fid());
        assertEquals(new Fid(0x200000402L, 0x1f, 0), r.dfid());
        assertEquals(HsmUserRequest.HSM_REQ_BLOCKING, r.flags());

        ActiveRequest withData = request(lines.get(2));
        assertEquals(2, withData.archiveId());
        assertArrayEquals("01234".getBytes(StandardCharsets.US_ASCII), withData.data());
        assertArrayEquals("01234\0\0\0".getBytes(StandardCharsets.US_ASCII), withData.paddedData());
        HsmActionItem item = withData.toActionItem(DataPadding.NONE);
        assertEquals(0x5f3b2c13L, item.cookie());
        assertEquals(HsmExtent.WHOLE_FILE, item.extent());
    }

    @Test
    void keywordOrderDoesNotMatterAndUnknownTokensAreIgnored() {
        String shuffled = "done=0 gid=0x7 data=[00ff] extra=1 extent=10-ffffffffffffffff archive#=3"
                + " action=REMOVE dfid=[0x2:0x3:0x4] flags=1 compound/cookie=0/abc fid=[0x5:0x6:0x7] uuid=y";
        ActiveRequest r = request(ActiveRequestsParser.parseLine(1, shuffled));
        assertEquals(new ActiveRequest(HsmAction.REMOVE, new Fid(5, 6, 7), new Fid(2, 3, 4), 0, 0xabc, 3, 1,
                new HsmExtent(0x10, -1L), 7, new byte[] {0, (byte) 0xff}), r);
    }

    @Test
    void fidKeywordIsNotFoundInsideDfid() {
        String line = "dfid=[0x2:0x3:0x4] fid=[0x9:0x9:0x0] compound/cookie=0/0x1 action=ARCHIVE archive#=1"
                + " flags=0 extent=0-0xffffffffffffffff gid=0 data=[]";
        ActiveRequest r = request(ActiveRequestsParser.parseLine(1, line));
        assertEquals(new Fid(9, 9, 0), r.fid());
        assertEquals(new Fid(2, 3, 4), r.dfid());
    }

    @Test
    void dataHexIsCaseInsensitive() {
        ActiveRequest r = request(ActiveRequestsParser.parseLine(1, GOOD.replace("data=[]", "data=[c3a9Ff00]")));
        assertArrayEquals(new byte[] {(byte) 0xc3, (byte) 0xa9, (byte) 0xff, 0}, r.data());
    }

    @Test
    void largeValuesAndNegativeArchiveIdsParse() {
        String line = GOOD.replace("archive#=1", "archive#=-2").replace("gid=0", "gid=0xffffffffffffffff")
                .replace("compound/cookie=0/0x5f3b2c11", "compound/cookie=0/ffffffffffffffff")
                .replace("flags=0", "flags=010");
        ActiveRequest r = request(ActiveRequestsParser.parseLine(1, line));
        assertEquals(-2, r.archiveId());
        assertEquals(-1L, r.gid());
        assertEquals(-1L, r.cookie());
        assertEquals(8, r.flags());
        assertEquals(0xffffffffL, Integer.toUnsignedLong(
                request(ActiveRequestsParser.parseLine(1, GOOD.replace("archive#=1", "archive#=4294967295"))).archiveId()));
    }

    @Test
    void blankAndHeaderLinesAreSkipped() throws IOException {
        List<ActiveRequestsLine> lines = parse("\n   \nmdt.lustre-MDT0000.hsm.active_requests=\n" + GOOD + "\n");
        assertEquals(new Skipped(1, SkipReason.BLANK), lines.get(0));
        assertEquals(new Skipped(2, SkipReason.BLANK), lines.get(1));
        assertEquals(new Skipped(3, SkipReason.HEADER), lines.get(2));
        assertEquals(4, lines.get(3).lineNumber());
        assertEquals(0x5f3b2c11L, request(lines.get(3)).cookie());
    }

    @Test
    void crLfLineEndingsAreAccepted() throws IOException {
        // data=[...] last: a carriage return left on the line would follow its closing bracket.
        String dataLast = GOOD.substring(0, GOOD.indexOf(" canceled=")).replace("data=[]", "data=[30]");
        List<ActiveRequestsLine> lines = parse("mdt.x.hsm.active_requests=\r\n" + dataLast + "\r\n");
        assertEquals(SkipReason.HEADER, assertInstanceOf(Skipped.class, lines.get(0)).reason());
        assertArrayEquals(new byte[] {0x30}, request(lines.get(1)).data());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fid=[", "dfid=[", "compound/cookie=", "action=", "archive#=", "flags=", "extent=", "gid=", "data=["})
    void everyMandatoryKeywordIsRequired(String keyword) {
        String line = " " + GOOD + " ";
        int at = line.indexOf(" " + keyword) + 1;
        int end = line.indexOf(' ', at);
        String without = (line.substring(0, at) + line.substring(end + 1)).trim();
        Malformed m = malformed(without);
        assertEquals("missing " + keyword, m.error());
        assertEquals(without, m.text());
        assertEquals("line 7: missing " + keyword, m.describe());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "fid=[0x200000401:0x1:0x0]        | fid=[0x200000401;0x1:0x0]        | fid=[0x200000401;0x1:0x0]: invalid FID",
            "fid=[0x200000401:0x1:0x0]        | fid=[0x200000401:0x1:0x0        | fid=[0x200000401:0x1:0x0: FID is not closed by ']'",
            "fid=[0x200000401:0x1:0x0]        | fid=[0x200000401:0x100000000:0x0] | object id does not fit",
            "fid=[0x200000401:0x1:0x0]        | fid=[0x1:0x1:0x0]x               | fid=[0x1:0x1:0x0]x: unexpected 'x'",
            "dfid=[0x200000401:0x1:0x0]       | dfid=[zz]                        | dfid=[zz]: invalid FID",
            "action=ARCHIVE                   | action=CANCEL                    | action=CANCEL: only ARCHIVE, RESTORE and REMOVE can be queued",
            "action=ARCHIVE                   | action=NOOP                      | action=NOOP: only ARCHIVE",
            "action=ARCHIVE                   | action=archive                   | action=archive: unknown action",
            "action=ARCHIVE                   | action=                          | action=: unknown action",
            "data=[]                          | data=[3G]                        | data=[3G]: 'G' is not a hex digit",
            "data=[]                          | data=[303]                       | data=[303]: odd number of hex digits (3)",
            "data=[]                          | data=[30                         | data=[30: data is not closed by ']'",
            "data=[]                          | data=[30]x                       | data=[30]x: unexpected 'x'",
            "compound/cookie=0/0x5f3b2c11     | compound/cookie=0x5f3b2c11       | expected <compound>/<cookie>",
            "compound/cookie=0/0x5f3b2c11     | compound/cookie=0/               | compound/cookie=0/: expected a number",
            "compound/cookie=0/0x5f3b2c11     | compound/cookie=0/10000000000000000 | does not fit in 64 bits",
            "extent=0-0xffffffffffffffff      | extent=0                         | extent=0: expected <offset>-<length>",
            "extent=0-0xffffffffffffffff      | extent=0-0xfffg                  | extent=0-0xfffg: unexpected 'g'",
            "gid=0                            | gid=-1                           | gid=-1: expected a number",
            "gid=0                            | gid=0x                           | gid=0x: unexpected 'x'",
            "flags=0                          | flags=abc                        | flags=abc: expected a number",
            "archive#=1                       | archive#=4294967296              | archive id out of 32-bit range",
            "archive#=1                       | archive#=-2147483649             | archive id out of 32-bit range",
            "archive#=1                       | archive#=one                     | archive#=one: expected a number",
    })
    void malformedValuesAreReportedPrecisely(String good, String bad, String error) {
        assertTrue(GOOD.contains(good), good);
        Malformed m = malformed(GOOD.replace(good, bad));
        assertTrue(m.error().contains(error), m.error());
        assertEquals(7, m.lineNumber());
    }

    @Test
    void badLinesDoNotStopTheOthers() throws IOException {
        String text = "mdt.lustre-MDT0000.hsm.active_requests=\n"
                + GOOD + "\n"
                + GOOD.replace("action=ARCHIVE", "action=CANCEL") + "\n"
                + "garbage\n"
                + GOOD.replace("0x5f3b2c11", "0x5f3b2c12") + "\n";
        List<ActiveRequestsLine> lines = parse(text);
        assertEquals(5, lines.size());
        assertEquals(0x5f3b2c11L, request(lines.get(1)).cookie());
        assertEquals(3, assertInstanceOf(Malformed.class, lines.get(2)).lineNumber());
        Malformed garbage = assertInstanceOf(Malformed.class, lines.get(3));
        assertEquals(4, garbage.lineNumber());
        assertEquals("garbage", garbage.text());
        assertEquals(0x5f3b2c12L, request(lines.get(4)).cookie());
    }

    @Test
    void unterminatedLastLineIsMalformed() throws IOException {
        List<ActiveRequestsLine> lines = parse(GOOD + "\n" + GOOD);
        assertEquals(2, lines.size());
        request(lines.get(0));
        Malformed last = assertInstanceOf(Malformed.class, lines.get(1));
        assertEquals(2, last.lineNumber());
        assertEquals(GOOD, last.text());
        assertTrue(last.error().contains("not terminated by a newline"), last.error());
    }

    @Test
    void emptyInputYieldsNothing() throws IOException {
        assertEquals(List.of(), parse(""));
    }

    @Test
    void overlongLinesAreMalformedAndReadingGoesOn() throws IOException {
        String longLine = GOOD + " pad=" + "x".repeat(ActiveRequestsParser.MAX_LINE_LENGTH);
        Malformed direct = malformed(longLine);
        assertTrue(direct.error().contains("exceeds the limit of 10000"), direct.error());

        List<ActiveRequestsLine> lines = parse(longLine + "\n" + GOOD + "\n" + longLine);
        assertEquals(3, lines.size());
        Malformed first = assertInstanceOf(Malformed.class, lines.get(0));
        assertTrue(first.error().contains("line of " + longLine.length() + " characters"), first.error());
        assertEquals(ActiveRequestsParser.KEPT_TEXT_LENGTH, first.text().length());
        request(lines.get(1));
        Malformed last = assertInstanceOf(Malformed.class, lines.get(2));
        assertTrue(last.error().contains("exceeds the limit"), last.error());
    }

    @Test
    void aLineExactlyAtTheLimitIsParsed() {
        String padded = GOOD + " pad=" + "x".repeat(ActiveRequestsParser.MAX_LINE_LENGTH - GOOD.length() - 5);
        assertEquals(ActiveRequestsParser.MAX_LINE_LENGTH, padded.length());
        request(ActiveRequestsParser.parseLine(1, padded));
    }

    @Test
    void readsInSmallChunks() throws IOException {
        Reader trickle = new Reader() {
            private final StringReader in = new StringReader(MDT_LISTING);

            @Override
            public int read(char[] buf, int off, int len) throws IOException {
                return in.read(buf, off, Math.min(len, 3));
            }

            @Override
            public void close() {
                in.close();
            }
        };
        List<ActiveRequestsLine> lines = new ArrayList<>();
        ActiveRequestsParser.parse(trickle, lines::add);
        assertEquals(parse(MDT_LISTING), lines);
    }
}
