package org.coordinatool.coordinator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.coordinatool.coordinator.protocol.FrameScanner;

/** A raw protocol peer for tests: writes bytes as given and reads replies byte-exactly. */
public final class WireClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public WireClient(InetSocketAddress server) throws IOException {
        this(plain(server));
    }

    /** Over an established socket, such as a TLS one. */
    public WireClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    private static Socket plain(InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        socket.connect(server, 5000);
        return socket;
    }

    public Socket socket() {
        return socket;
    }

    public String localName() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    public WireClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    public WireClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads exactly the expected bytes and compares them. */
    public void expect(String expected) throws IOException {
        byte[] want = expected.getBytes(StandardCharsets.UTF_8);
        byte[] got = in.readNBytes(want.length);
        assertEquals(expected, new String(got, StandardCharsets.UTF_8));
    }

    /** Reads one complete top-level JSON value, however it is spaced. */
    public String readObject() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        FrameScanner scanner = new FrameScanner();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed after " + buf.size() + " bytes: " + buf);
            }
            byte b = (byte) c;
            if (!scanner.inValue() && !FrameScanner.isValueStart(b)) {
                throw new IOException("unexpected byte before a value: " + c);
            }
            buf.write(c);
            if (scanner.feed(b)) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** Waits for the server to close the connection; fails on any byte received meanwhile. */
    public void expectClosed() throws IOException {
        int c;
        try {
            c = in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection still open", e);
        } catch (IOException e) {
            return;
        }
        assertEquals(-1, c, "expected end of stream");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
