package io.bestow.shared;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Passes bytes through while checking that they are UTF-8 text, so that an upload is checked in the same pass that
 * stores it. A byte-order mark is allowed. Reading past an invalid sequence throws {@link NotUtf8}.
 */
public final class Utf8Check extends FilterInputStream {

    /** The stream is not UTF-8 from the given byte offset on. */
    public static final class NotUtf8 extends CharacterCodingException {
        private final long offset;

        NotUtf8(long offset) {
            this.offset = offset;
        }

        public long offset() {
            return offset;
        }

        @Override
        public String getMessage() {
            return "not UTF-8 text: invalid byte sequence at byte " + offset;
        }
    }

    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer sink = CharBuffer.allocate(8192);
    private ByteBuffer carry = ByteBuffer.allocate(0);
    private long offset;

    public Utf8Check(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        var one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n == -1) {
            check(ByteBuffer.allocate(0), true);
        } else if (n > 0) {
            check(ByteBuffer.wrap(b, off, n), false);
        }
        return n;
    }

    private void check(ByteBuffer bytes, boolean end) throws NotUtf8 {
        var input = ByteBuffer.allocate(carry.remaining() + bytes.remaining());
        input.put(carry).put(bytes).flip();
        long base = offset;
        while (true) {
            sink.clear();
            var result = decoder.decode(input, sink, end);
            if (result.isError()) {
                throw new NotUtf8(base + input.position());
            }
            if (result.isUnderflow()) {
                break;
            }
        }
        offset = base + input.position();
        carry = input.slice();
        if (end && carry.hasRemaining()) {
            throw new NotUtf8(offset);
        }
    }
}
