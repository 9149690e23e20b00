package org.coordinatool.mover.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.coordinatool.hsm.Fid;
import org.coordinatool.mover.ItemKey;
import org.junit.jupiter.api.Test;

class ShimDecoderTest {

    static final ByteOrder ORDER = ByteOrder.nativeOrder();

    static byte[] frame(int version, int type, byte[] payload) {
        return ByteBuffer.allocate(16 + payload.length).order(ORDER).putInt(ShimProtocol.MAGIC)
                .putShort((short) version).putShort((short) type).putInt(payload.length).putInt(0xdead)
                .put(payload).array();
    }

    static byte[] register(int count, int[] archives, byte[] strings) {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * archives.length + strings.length).order(ORDER)
                .putInt(4242).putInt(0x800).putInt(count);
        for (int a : archives) {
            b.putInt(a);
        }
        return b.put(strings).array();
    }

    static byte[] strings(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Feeds the bytes one at a time, as the worst possible reads would. */
    static List<ShimMessage> decodeByteByByte(byte[] stream) throws ShimProtocolException {
        ShimDecoder d = new ShimDecoder();
        List<ShimMessage> out = new ArrayList<>();
        for (byte b : stream) {
            ShimMessage m = d.next(ByteBuffer.wrap(new byte[] {b}));
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    static ShimMessage decodeOne(byte[] stream) throws ShimProtocolException {
        return new ShimDecoder().next(ByteBuffer.wrap(stream));
    }

    @Test
    void messagesSurviveAnyFragmentation() throws Exception {
        ByteBuffer notice = ByteBuffer.allocate(28).order(ORDER).putLong(-2L).putLong(0x200000401L).putInt(-1)
                .putInt(3).putInt(125);
        byte[] stream = concat(frame(1, 1, register(2, new int[] {1, -1}, strings("/mnt/x\0fs1\0"))),
                frame(1, 2, ByteBuffer.allocate(4).order(ORDER).putInt(-1).array()),
                frame(1, 4, ByteBuffer.allocate(4).order(ORDER).putInt(1).array()),
                frame(1, 6, notice.array()));
        List<ShimMessage> got = decodeByteByByte(stream);
        assertEquals(List.of(
                new ShimMessage.Register(4242, 0x800, List.of(1L, 0xffffffffL), "/mnt/x", "fs1"),
                new ShimMessage.Recv(0xffffffffL),
                new ShimMessage.Unregister(true),
                new ShimMessage.End(new ItemKey(-2L, new Fid(0x200000401L, -1, 3)), 125)), got);
    }

    @Test
    void badFramesAreRefused() {
        assertThrows(ShimProtocolException.class, () -> decodeOne(ByteBuffer.allocate(16).putInt(1).array()),
                "magic");
        assertInstanceOf(ShimProtocolException.UnsupportedVersion.class,
                assertThrows(ShimProtocolException.class, () -> decodeOne(frame(2, 1, new byte[0]))));
        ShimProtocolException v = assertThrows(ShimProtocolException.class, () -> decodeOne(frame(2, 2, new byte[4])));
        assertTrue(!(v instanceof ShimProtocolException.UnsupportedVersion), "only REGISTER gets an answer");
        assertThrows(ShimProtocolException.class, () -> decodeOne(frame(1, 101, new byte[4])), "agent's type");
        assertThrows(ShimProtocolException.class, () -> decodeOne(frame(1, 7, new byte[0])), "unassigned type");
        assertThrows(ShimProtocolException.class, () -> decodeOne(frame(1, 5, new byte[27])), "notice size");
        assertThrows(ShimProtocolException.class, () -> decodeOne(frame(1, 4,
                ByteBuffer.allocate(4).order(ORDER).putInt(2).array())), "recv_pending is 0 or 1");
        byte[] huge = ByteBuffer.allocate(16).order(ORDER).putInt(ShimProtocol.MAGIC).putShort((short) 1)
                .putShort((short) 1).putInt(ShimProtocol.MAX_PAYLOAD + 1).putInt(0).array();
        assertThrows(ShimProtocolException.class, () -> decodeOne(huge), "over 16 MiB");
    }

    @Test
    void malformedRegistrationsAreRefused() {
        assertThrows(ShimProtocolException.class, () -> decodeOne(frame(1, 1, new byte[11])), "short");
        assertThrows(ShimProtocolException.class,
                () -> decodeOne(frame(1, 1, register(3, new int[] {1}, strings("/m\0f\0")))), "count too large");
        assertThrows(ShimProtocolException.class,
                () -> decodeOne(frame(1, 1, register(0, new int[0], strings("/m\0f")))), "fsname unterminated");
        assertThrows(ShimProtocolException.class,
                () -> decodeOne(frame(1, 1, register(0, new int[0], strings("/m\0")))), "no fsname");
        assertThrows(ShimProtocolException.class,
                () -> decodeOne(frame(1, 1, register(0, new int[0], strings("/m\0f\0x")))), "trailing bytes");
    }

    @Test
    void anIncompleteMessageWaitsForMoreBytes() throws Exception {
        ShimDecoder d = new ShimDecoder();
        byte[] f = frame(1, 3, ByteBuffer.allocate(4).order(ORDER).putInt(-90).array());
        assertNull(d.next(ByteBuffer.wrap(f, 0, 17)));
        assertTrue(d.inMessage());
        assertEquals(new ShimMessage.Reject(-90), d.next(ByteBuffer.wrap(f, 17, 3)));
        assertTrue(!d.inMessage());
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
