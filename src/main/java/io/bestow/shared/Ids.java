package io.bestow.shared;

import java.security.SecureRandom;

/** Generates public ids: a resource prefix, an underscore and 22 random base-62 characters (about 130 bits). */
public final class Ids {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String generate(String prefix) {
        return prefix + "_" + random(22);
    }

    /**
     * A random base-62 string of the given length, for ids, keys and tokens: one call to the secure random source
     * per string, each character from one byte, bytes of 248 and above discarded so that every character is equally
     * likely.
     */
    public static String random(int length) {
        var chars = new char[length];
        int filled = 0;
        var bytes = new byte[length + length / 4 + 4];
        while (filled < length) {
            RANDOM.nextBytes(bytes);
            for (int i = 0; i < bytes.length && filled < length; i++) {
                int value = bytes[i] & 0xff;
                if (value < 248) {
                    chars[filled++] = ALPHABET[value % ALPHABET.length];
                }
            }
        }
        return new String(chars);
    }
}
