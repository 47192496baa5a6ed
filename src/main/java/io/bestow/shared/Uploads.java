package io.bestow.shared;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps uploaded files in the database, in 1 MiB chunks, so that a background job on any node can stream them
 * back without the file ever being held in memory whole.
 */
@Component
public class Uploads {

    static final int CHUNK = 1024 * 1024;

    private final JdbcClient jdbc;

    Uploads(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the stream and returns the upload's id and size. */
    public Stored store(InputStream in) throws IOException {
        var id = Ids.generate("upl");
        long size = 0;
        int chunk = 0;
        var buffer = new byte[CHUNK];
        while (true) {
            int filled = in.readNBytes(buffer, 0, CHUNK);
            if (filled == 0) {
                break;
            }
            var data = filled == CHUNK ? buffer : Arrays.copyOf(buffer, filled);
            jdbc.sql("INSERT INTO shared.upload_chunks (upload_id, chunk, data) VALUES (?, ?, ?)")
                    .params(id, chunk++, data)
                    .update();
            size += filled;
            if (filled < CHUNK) {
                break;
            }
        }
        return new Stored(id, size);
    }

    /** Reads an upload back, one chunk at a time. */
    public InputStream open(String id) {
        return new InputStream() {
            private int next = 0;
            private byte[] current = new byte[0];
            private int position = 0;
            private boolean done = false;

            @Override
            public int read() throws IOException {
                var one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] target, int offset, int length) {
                if (length == 0) {
                    return 0;
                }
                while (position >= current.length) {
                    if (done) {
                        return -1;
                    }
                    var data = jdbc.sql("SELECT data FROM shared.upload_chunks WHERE upload_id = ? AND chunk = ?")
                            .params(id, next++)
                            .query(byte[].class)
                            .optional();
                    if (data.isEmpty()) {
                        done = true;
                        return -1;
                    }
                    current = data.get();
                    position = 0;
                }
                int n = Math.min(length, current.length - position);
                System.arraycopy(current, position, target, offset, n);
                position += n;
                return n;
            }
        };
    }

    public void delete(String id) {
        jdbc.sql("DELETE FROM shared.upload_chunks WHERE upload_id = ?")
                .param(id)
                .update();
    }

    /** An upload's id and size in bytes. */
    public record Stored(String id, long size) {}
}
