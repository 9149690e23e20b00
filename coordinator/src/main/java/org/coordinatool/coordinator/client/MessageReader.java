package org.coordinatool.coordinator.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.coordinatool.coordinator.protocol.FrameScanner;

/** Reads the server's replies, JSON objects written back to back, one at a time. */
public final class MessageReader {

    private final InputStream in;
    private final FrameScanner scanner = new FrameScanner();
    private byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;
    /** Bytes of the value at {@code start} already fed to the scanner. */
    private int scanned;

    public MessageReader(InputStream in) {
        this.in = in;
    }

    /** The next complete value, waiting for it as long as the stream's own timeout allows. */
    public byte[] next() throws IOException {
        while (true) {
            int valueEnd = findEnd();
            if (valueEnd >= 0) {
                byte[] value = Arrays.copyOfRange(buf, start, valueEnd);
                start = valueEnd;
                scanned = 0;
                return value;
            }
            fill();
        }
    }

    /** Whether a complete value has already arrived, so {@link #next} will not wait. */
    public boolean hasBuffered() throws IOException {
        return findEnd() >= 0;
    }

    private int findEnd() throws IOException {
        if (!scanner.inValue()) {
            while (start < end && FrameScanner.isWhitespace(buf[start])) {
                start++;
            }
            if (start == end) {
                return -1;
            }
            if (!FrameScanner.isValueStart(buf[start])) {
                throw new IOException(String.format("the server sent a byte 0x%02x that does not start a JSON object",
                        buf[start] & 0xff));
            }
        }
        for (int i = start + scanned; i < end; i++) {
            if (scanner.feed(buf[i])) {
                return i + 1;
            }
        }
        scanned = end - start;
        return -1;
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            throw new EOFException("the server closed the connection");
        }
        end += n;
    }
}
