package org.coordinatool.mover.shim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.coordinatool.hsm.Fid;
import org.coordinatool.mover.ItemKey;

/**
 * Cuts the byte stream of one shim connection into messages. Only messages the shim may send
 * are accepted; which of them is allowed at a given point is the connection's business.
 */
final class ShimDecoder {

    private final ByteBuffer header = ByteBuffer.allocate(ShimProtocol.HEADER_SIZE).order(ShimProtocol.ORDER);
    private int type;
    private ByteBuffer payload;

    /** Whether a message has started but is not complete. */
    boolean inMessage() {
        return header.position() > 0 || payload != null;
    }

    /**
     * Consumes bytes of {@code src} up to the end of the next message.
     *
     * @return the message, or null when {@code src} ran out before its end
     */
    ShimMessage next(ByteBuffer src) throws ShimProtocolException {
        if (payload == null) {
            copy(src, header);
            if (header.hasRemaining()) {
                return null;
            }
            header.flip();
            payload = ByteBuffer.allocate(readHeader(header)).order(ShimProtocol.ORDER);
            header.clear();
        }
        copy(src, payload);
        if (payload.hasRemaining()) {
            return null;
        }
        ByteBuffer body = payload.flip();
        payload = null;
        return decode(type, body);
    }

    private static void copy(ByteBuffer src, ByteBuffer dst) {
        int n = Math.min(src.remaining(), dst.remaining());
        dst.put(dst.position(), src, src.position(), n);
        dst.position(dst.position() + n);
        src.position(src.position() + n);
    }

    /** Validates a header and returns its payload length. */
    private int readHeader(ByteBuffer h) throws ShimProtocolException {
        int magic = h.getInt();
        int version = Short.toUnsignedInt(h.getShort());
        type = Short.toUnsignedInt(h.getShort());
        long length = Integer.toUnsignedLong(h.getInt());
        if (magic != ShimProtocol.MAGIC) {
            throw new ShimProtocolException(String.format("bad magic 0x%08x", magic));
        }
        if (version != ShimProtocol.VERSION) {
            if (type == ShimProtocol.REGISTER) {
                throw new ShimProtocolException.UnsupportedVersion(version);
            }
            throw new ShimProtocolException("message of protocol version " + version);
        }
        if (length > ShimProtocol.MAX_PAYLOAD) {
            throw new ShimProtocolException("payload of " + length + " bytes exceeds " + ShimProtocol.MAX_PAYLOAD);
        }
        int expected = switch (type) {
            case ShimProtocol.REGISTER -> -1;
            case ShimProtocol.RECV, ShimProtocol.REJECT, ShimProtocol.UNREGISTER -> 4;
            case ShimProtocol.BEGIN, ShimProtocol.END -> ShimProtocol.NOTICE_SIZE;
            default -> throw new ShimProtocolException("unexpected message type " + type);
        };
        if (expected >= 0 && length != expected) {
            throw new ShimProtocolException(name(type) + " of " + length + " bytes, expected " + expected);
        }
        return (int) length;
    }

    private static ShimMessage decode(int type, ByteBuffer b) throws ShimProtocolException {
        return switch (type) {
            case ShimProtocol.REGISTER -> register(b);
            case ShimProtocol.RECV -> new ShimMessage.Recv(Integer.toUnsignedLong(b.getInt()));
            case ShimProtocol.REJECT -> new ShimMessage.Reject(b.getInt());
            case ShimProtocol.UNREGISTER -> unregister(b.getInt());
            case ShimProtocol.BEGIN -> new ShimMessage.Begin(key(b), b.getInt());
            default -> new ShimMessage.End(key(b), b.getInt());
        };
    }

    private static ShimMessage.Unregister unregister(int recvPending) throws ShimProtocolException {
        if (recvPending != 0 && recvPending != 1) {
            throw new ShimProtocolException("UNREGISTER with recv_pending " + Integer.toUnsignedString(recvPending));
        }
        return new ShimMessage.Unregister(recvPending == 1);
    }

    private static ItemKey key(ByteBuffer b) {
        long cookie = b.getLong();
        return new ItemKey(cookie, new Fid(b.getLong(), b.getInt(), b.getInt()));
    }

    private static ShimMessage.Register register(ByteBuffer b) throws ShimProtocolException {
        if (b.remaining() < ShimProtocol.REGISTER_FIXED_SIZE) {
            throw new ShimProtocolException("REGISTER of " + b.remaining() + " bytes is too short");
        }
        int pid = b.getInt();
        int flags = b.getInt();
        long count = Integer.toUnsignedLong(b.getInt());
        if (count * 4 > b.remaining()) {
            throw new ShimProtocolException("REGISTER announces " + count + " archive ids but has room for "
                    + b.remaining() / 4);
        }
        List<Long> archives = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            archives.add(Integer.toUnsignedLong(b.getInt()));
        }
        String mnt = string(b, "mnt");
        String fsname = string(b, "fsname");
        if (b.hasRemaining()) {
            throw new ShimProtocolException("REGISTER has " + b.remaining() + " bytes after the fsname");
        }
        return new ShimMessage.Register(pid, flags, archives, mnt, fsname);
    }

    private static String string(ByteBuffer b, String what) throws ShimProtocolException {
        int start = b.position();
        for (int i = start; i < b.limit(); i++) {
            if (b.get(i) == 0) {
                String s = new String(b.array(), b.arrayOffset() + start, i - start, StandardCharsets.UTF_8);
                b.position(i + 1);
                return s;
            }
        }
        throw new ShimProtocolException("REGISTER: " + what + " is not NUL-terminated");
    }

    static String name(int type) {
        return switch (type) {
            case ShimProtocol.REGISTER -> "REGISTER";
            case ShimProtocol.RECV -> "RECV";
            case ShimProtocol.REJECT -> "REJECT";
            case ShimProtocol.UNREGISTER -> "UNREGISTER";
            case ShimProtocol.BEGIN -> "BEGIN";
            case ShimProtocol.END -> "END";
            default -> "message type " + type;
        };
    }
}
