package io.bestow.shared;

import java.security.SecureRandom;

/**
 * Generates public ids and random secrets. An id is a resource prefix, an underscore and 22 base-62 characters
 * holding a 48-bit millisecond timestamp followed by 80 random bits: ids of one kind sort by creation time, so
 * inserting them appends to an index instead of landing at random places in it, and they stay unguessable.
 */
public final class Ids {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    private static final int ID_LENGTH = 22;

    public static String generate(String prefix) {
        var random = new byte[10];
        RANDOM.nextBytes(random);
        long high =
                (System.currentTimeMillis() & 0xFFFF_FFFF_FFFFL) << 16 | (random[0] & 0xFFL) << 8 | random[1] & 0xFFL;
        long low = 0;
        for (int i = 2; i < random.length; i++) {
            low = low << 8 | random[i] & 0xFFL;
        }
        return prefix + "_" + base62(high, low);
    }

    /**
     * The unsigned 128-bit number {@code high·2^64 + low} in 22 base-62 digits, most significant first: divided by 62
     * again and again in 32-bit pieces, which is much cheaper than doing it with {@link java.math.BigInteger}.
     */
    static String base62(long high, long low) {
        long[] pieces = {high >>> 32, high & 0xFFFF_FFFFL, low >>> 32, low & 0xFFFF_FFFFL};
        var chars = new char[ID_LENGTH];
        for (int i = ID_LENGTH - 1; i >= 0; i--) {
            long remainder = 0;
            for (int j = 0; j < pieces.length; j++) {
                long current = remainder << 32 | pieces[j];
                pieces[j] = current / ALPHABET.length;
                remainder = current % ALPHABET.length;
            }
            chars[i] = ALPHABET[(int) remainder];
        }
        return new String(chars);
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
