package org.coordinatool.hsm;

/**
 * Lustre file identifier ({@code struct lu_fid}). {@code oid} and {@code ver} are unsigned 32-bit
 * values carried in Java ints; {@code seq} is an unsigned 64-bit value carried in a long.
 */
public record Fid(long seq, int oid, int ver) {

    public static final Fid ZERO = new Fid(0, 0, 0);

    /** Size of {@code struct lu_fid} in bytes. */
    public static final int SIZE = 16;

    private static final long UINT32_MAX = 0xffff_ffffL;

    /** Result of {@link #parsePrefix}: the FID and the index just after the consumed text. */
    public record Prefix(Fid fid, int end, boolean bracketed, boolean closed) {
    }

    public long oidUnsigned() {
        return Integer.toUnsignedLong(oid);
    }

    public long verUnsigned() {
        return Integer.toUnsignedLong(ver);
    }

    /** Lustre's {@code fid_is_zero}: the version is not looked at. */
    public boolean isZero() {
        return seq == 0 && oid == 0;
    }

    /** Lustre's DFID rendering, e.g. {@code [0x200000401:0x1:0x0]}; a zero sequence prints as {@code 0}. */
    public String format() {
        return appendNoBrace(new StringBuilder(40).append('[')).append(']').toString();
    }

    /** DFID_NOBRACE, the name of the file under {@code .lustre/fid}. */
    public String formatNoBrace() {
        return appendNoBrace(new StringBuilder(40)).toString();
    }

    @Override
    public String toString() {
        return format();
    }

    private StringBuilder appendNoBrace(StringBuilder sb) {
        // %#llx prints zero without the 0x prefix, the 0x%x fields always carry it.
        if (seq != 0) {
            sb.append("0x");
        }
        return sb.append(Long.toHexString(seq))
                .append(":0x").append(Integer.toHexString(oid))
                .append(":0x").append(Integer.toHexString(ver));
    }

    /**
     * Parses a whole string with {@code llapi_fid_parse}'s rules (leading whitespace, optional
     * brackets, each field a C integer literal, empty fields read as 0 as glibc's strtoull does);
     * unlike llapi, any text left after the FID is an error.
     */
    public static Fid parse(String text) {
        Prefix p = parsePrefix(text, 0);
        if (p.end() != text.length()) {
            throw new FidFormatException(text, p.end(), false, "unexpected text after the FID");
        }
        return p.fid();
    }

    /**
     * Parses a FID starting at {@code from} exactly like {@code llapi_fid_parse}, leaving trailing
     * text alone: {@link Prefix#end()} is llapi's end pointer.
     */
    public static Prefix parsePrefix(CharSequence text, int from) {
        int n = text.length();
        int i = from;
        while (i < n && CIntegers.isCSpace(text.charAt(i))) {
            i++;
        }
        boolean bracketed = false;
        while (i < n && text.charAt(i) == '[') {
            bracketed = true;
            i++;
        }
        CIntegers.Scan seq = CIntegers.strtoull(text, i, 0);
        i = expectColon(text, seq.end(), "sequence");
        CIntegers.Scan oid = CIntegers.strtoull(text, i, 0);
        i = expectColon(text, oid.end(), "object id");
        CIntegers.Scan ver = CIntegers.strtoull(text, i, 0);
        i = ver.end();
        boolean closed = false;
        if (bracketed && i < n && text.charAt(i) == ']') {
            closed = true;
            i++;
        }
        // llapi reports a range error only once the whole FID has been found syntactically sound.
        if (seq.overflow() || seq.value() == -1L) {
            throw new FidFormatException(text, seq.end(), true, "sequence must be below 0xffffffffffffffff");
        }
        if (oid.overflow() || Long.compareUnsigned(oid.value(), UINT32_MAX) > 0) {
            throw new FidFormatException(text, oid.end(), true, "object id does not fit in 32 bits");
        }
        if (ver.overflow() || Long.compareUnsigned(ver.value(), UINT32_MAX) > 0) {
            throw new FidFormatException(text, ver.end(), true, "version does not fit in 32 bits");
        }
        return new Prefix(new Fid(seq.value(), (int) oid.value(), (int) ver.value()), i, bracketed, closed);
    }

    private static int expectColon(CharSequence text, int i, String field) {
        if (i >= text.length() || text.charAt(i) != ':') {
            throw new FidFormatException(text, i, false, "expected ':' after the " + field);
        }
        return i + 1;
    }
}
