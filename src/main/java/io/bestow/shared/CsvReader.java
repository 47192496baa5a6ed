package io.bestow.shared;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads CSV (RFC 4180: commas, double quotes, doubled quotes inside quotes, line breaks inside quotes, CRLF or LF)
 * one record at a time from a stream, so files of any size pass through in constant memory.
 */
public final class CsvReader implements Closeable {

    /** A record with the line number it starts on (1-based). */
    public record Row(long line, List<String> fields) {}

    /** A record that cannot be read, such as a quote that is never closed. */
    public static final class MalformedCsv extends IOException {
        private final long line;

        MalformedCsv(long line, String message) {
            super(message);
            this.line = line;
        }

        public long line() {
            return line;
        }
    }

    private static final int MAX_FIELD = 1 << 20;

    private final Reader in;
    private long line = 1;
    private int pending = -2;

    public CsvReader(Reader in) {
        this.in = in;
    }

    /** The next record, or {@code null} at the end. Blank lines are skipped. */
    public @Nullable Row next() throws IOException {
        while (true) {
            int c = read();
            if (c == -1) {
                return null;
            }
            if (c == '\n') {
                line++;
                continue;
            }
            if (c == '\r') {
                continue;
            }
            unread(c);
            return record();
        }
    }

    private Row record() throws IOException {
        long start = line;
        var fields = new ArrayList<String>();
        var field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            int c = read();
            if (quoted) {
                if (c == -1) {
                    throw new MalformedCsv(start, "a quoted field is never closed");
                }
                if (c == '"') {
                    int next = read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        unread(next);
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    append(field, c, start);
                }
                continue;
            }
            switch (c) {
                case -1, '\n' -> {
                    fields.add(field.toString());
                    if (c == '\n') {
                        line++;
                    }
                    return new Row(start, fields);
                }
                case '\r' -> {
                    int next = read();
                    if (next != '\n') {
                        unread(next);
                    }
                    fields.add(field.toString());
                    line++;
                    return new Row(start, fields);
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    wasQuoted = false;
                }
                case '"' -> {
                    if (field.isEmpty() && !wasQuoted) {
                        quoted = true;
                        wasQuoted = true;
                    } else {
                        throw new MalformedCsv(start, "a quote inside an unquoted field");
                    }
                }
                default -> append(field, c, start);
            }
        }
    }

    private static void append(StringBuilder field, int c, long line) throws MalformedCsv {
        if (field.length() >= MAX_FIELD) {
            throw new MalformedCsv(line, "a field is longer than " + MAX_FIELD + " characters");
        }
        field.append((char) c);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private int read() throws IOException {
        if (pending != -2) {
            int c = pending;
            pending = -2;
            return c;
        }
        return in.read();
    }

    private void unread(int c) {
        pending = c;
    }
}
