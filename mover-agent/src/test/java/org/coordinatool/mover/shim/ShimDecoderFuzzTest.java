package org.coordinatool.mover.shim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.coordinatool.mover.ItemKey;

/**
 * Any byte stream from a shim gives the same messages, then the same refusal if any, however it
 * arrives: all at once or in pieces. Only {@link ShimProtocolException} refuses a stream, and
 * every message written again in the shim's framing (preload-shim/PROTOCOL.md) decodes to itself.
 * The agent's own framing of an action list carries the list unchanged.
 */
class ShimDecoderFuzzTest {

    /** What a decoder made of a stream: its messages, then the refusal that ended it if any. */
    private record Outcome(List<ShimMessage> messages, String refusal, boolean partial) {
    }

    /** The first byte sets the size of the pieces the rest arrives in. */
    @FuzzTest
    void decode(byte[] input) throws ShimProtocolException {
        if (input.length == 0) {
            return;
        }
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        Outcome whole = decode(stream, Math.max(stream.length, 1));
        assertEquals(whole, decode(stream, 1 + (input[0] & 0x1f)));

        ByteArrayOutputStream written = new ByteArrayOutputStream();
        for (ShimMessage message : whole.messages()) {
            written.writeBytes(encode(message));
        }
        Outcome again = decode(written.toByteArray(), Math.max(written.size(), 1));
        assertEquals(new Outcome(whole.messages(), null, false), again);

        ByteBuffer frame = ByteBuffer.wrap(ShimProtocol.actionList(stream)).order(ShimProtocol.ORDER);
        assertEquals(ShimProtocol.MAGIC, frame.getInt());
        assertEquals(ShimProtocol.VERSION, frame.getShort());
        assertEquals(ShimProtocol.ACTION_LIST, frame.getShort());
        assertEquals(stream.length, frame.getInt());
        assertEquals(0, frame.getInt());
        assertArrayEquals(stream, Arrays.copyOfRange(frame.array(), ShimProtocol.HEADER_SIZE, frame.limit()));
    }

    private static Outcome decode(byte[] stream, int pieceSize) {
        ShimDecoder decoder = new ShimDecoder();
        List<ShimMessage> messages = new ArrayList<>();
        for (int at = 0; at < stream.length; at += pieceSize) {
            ByteBuffer piece = ByteBuffer.wrap(stream, at, Math.min(pieceSize, stream.length - at)).slice();
            try {
                ShimMessage m;
                while (piece.hasRemaining() && (m = decoder.next(piece)) != null) {
                    messages.add(m);
                }
            } catch (ShimProtocolException e) {
                // The connection is closed at the first error.
                return new Outcome(messages, e.getClass().getSimpleName() + ": " + e.getMessage(), false);
            }
            assertFalse(piece.hasRemaining(), "a piece is consumed entirely");
        }
        return new Outcome(messages, null, decoder.inMessage());
    }

    /** The shim's framing of a message (PROTOCOL.md §2 and §3). */
    private static byte[] encode(ShimMessage message) {
        ByteBuffer payload;
        int type;
        if (message instanceof ShimMessage.Register r) {
            type = ShimProtocol.REGISTER;
            byte[] mnt = r.mnt().getBytes(StandardCharsets.UTF_8);
            byte[] fsname = r.fsname().getBytes(StandardCharsets.UTF_8);
            payload = ByteBuffer.allocate(ShimProtocol.REGISTER_FIXED_SIZE + 4 * r.archives().size()
                    + mnt.length + 1 + fsname.length + 1).order(ShimProtocol.ORDER);
            payload.putInt(r.pid()).putInt(r.rfdFlags()).putInt(r.archives().size());
            for (long id : r.archives()) {
                payload.putInt((int) id);
            }
            payload.put(mnt).put((byte) 0).put(fsname).put((byte) 0);
        } else if (message instanceof ShimMessage.Recv r) {
            type = ShimProtocol.RECV;
            payload = ByteBuffer.allocate(4).order(ShimProtocol.ORDER).putInt((int) r.bufferSize());
        } else if (message instanceof ShimMessage.Reject r) {
            type = ShimProtocol.REJECT;
            payload = ByteBuffer.allocate(4).order(ShimProtocol.ORDER).putInt(r.rc());
        } else if (message instanceof ShimMessage.Unregister u) {
            type = ShimProtocol.UNREGISTER;
            payload = ByteBuffer.allocate(4).order(ShimProtocol.ORDER).putInt(u.recvPending() ? 1 : 0);
        } else if (message instanceof ShimMessage.Begin b) {
            type = ShimProtocol.BEGIN;
            payload = notice(b.key(), b.rc());
        } else {
            ShimMessage.End e = (ShimMessage.End) message;
            type = ShimProtocol.END;
            payload = notice(e.key(), e.status());
        }
        payload.flip();
        return ByteBuffer.allocate(ShimProtocol.HEADER_SIZE + payload.limit()).order(ShimProtocol.ORDER)
                .putInt(ShimProtocol.MAGIC).putShort((short) ShimProtocol.VERSION).putShort((short) type)
                .putInt(payload.limit()).putInt(0).put(payload).array();
    }

    private static ByteBuffer notice(ItemKey key, int value) {
        return ByteBuffer.allocate(ShimProtocol.NOTICE_SIZE).order(ShimProtocol.ORDER).putLong(key.cookie())
                .putLong(key.dfid().seq()).putInt(key.dfid().oid()).putInt(key.dfid().ver()).putInt(value);
    }
}
