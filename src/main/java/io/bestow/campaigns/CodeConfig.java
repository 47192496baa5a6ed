package io.bestow.campaigns;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a campaign's codes look: either a {@code pattern} such as {@code REF-####-????}, where each {@code #} is a
 * character of the {@code charset} and each {@code ?} an upper-case letter, or {@code length} characters of the
 * charset; {@code prefix} and {@code postfix} are added around either.
 */
public record CodeConfig(
        @Nullable Integer length,
        @Nullable String charset,
        @Nullable String prefix,
        @Nullable String postfix,
        @Nullable String pattern) {

    public static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final int DEFAULT_LENGTH = 8;
    public static final int MAX_CODE_LENGTH = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static CodeConfig defaults() {
        return new CodeConfig(DEFAULT_LENGTH, ALPHANUMERIC, null, null, null);
    }

    /** Checks the configuration and reports problems by field path. */
    public void check(String path, Map<String, String> problems) {
        if (length != null && (length < 1 || length > 64)) {
            problems.put(path + ".length", "must be from 1 to 64");
        }
        if (charset != null
                && (charset.isEmpty()
                        || charset.length() > 128
                        || charset.chars().distinct().count() != charset.length())) {
            problems.put(path + ".charset", "must hold 1 to 128 characters, each once");
        }
        if (pattern != null && !pattern.contains("#") && !pattern.contains("?")) {
            problems.put(path + ".pattern", "must hold at least one # (a charset character) or ? (a letter)");
        }
        int fixed = (prefix == null ? 0 : prefix.length()) + (postfix == null ? 0 : postfix.length());
        int body = pattern != null ? pattern.length() : length == null ? DEFAULT_LENGTH : length;
        if (fixed + body > MAX_CODE_LENGTH) {
            problems.put(path, "makes codes longer than " + MAX_CODE_LENGTH + " characters");
        }
    }

    private String effectiveCharset() {
        return charset == null || charset.isEmpty() ? ALPHANUMERIC : charset;
    }

    private String effectivePattern() {
        return pattern != null ? pattern : "#".repeat(length == null ? DEFAULT_LENGTH : length);
    }

    /** A new random code. */
    public String generate() {
        return generate(1).getFirst();
    }

    /**
     * New random codes, possibly with repeats (the database keeps codes unique). The characters come from bulk reads
     * of a secure random source, each from one byte, bytes that would favour some characters discarded.
     */
    public List<String> generate(int count) {
        var chars = effectiveCharset();
        var template = effectivePattern();
        var codes = new ArrayList<String>(count);
        var bytes = new byte[4096];
        int next = bytes.length;
        int charsetLimit = 256 - 256 % chars.length();
        int lettersLimit = 256 - 256 % LETTERS.length();
        var code = new StringBuilder();
        for (int n = 0; n < count; n++) {
            code.setLength(0);
            if (prefix != null) {
                code.append(prefix);
            }
            for (int i = 0; i < template.length(); i++) {
                char c = template.charAt(i);
                if (c != '#' && c != '?') {
                    code.append(c);
                    continue;
                }
                var alphabet = c == '#' ? chars : LETTERS;
                int limit = c == '#' ? charsetLimit : lettersLimit;
                int value;
                do {
                    if (next == bytes.length) {
                        RANDOM.nextBytes(bytes);
                        next = 0;
                    }
                    value = bytes[next++] & 0xff;
                } while (value >= limit);
                code.append(alphabet.charAt(value % alphabet.length()));
            }
            if (postfix != null) {
                code.append(postfix);
            }
            codes.add(code.toString());
        }
        return codes;
    }

    /** How many distinct codes this configuration can make. */
    public BigInteger capacity() {
        var template = effectivePattern();
        long hashes = template.chars().filter(c -> c == '#').count();
        long letters = template.chars().filter(c -> c == '?').count();
        return BigInteger.valueOf(effectiveCharset().length())
                .pow((int) hashes)
                .multiply(BigInteger.valueOf(LETTERS.length()).pow((int) letters));
    }
}
