package io.bestow.shared;

import java.math.BigInteger;
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
    private static final BigInteger BASE = BigInteger.valueOf(ALPHABET.length);

    public static String generate(String prefix) {
        var random = new byte[10];
        RANDOM.nextBytes(random);
        var bits = BigInteger.valueOf(System.currentTimeMillis() & 0xFFFF_FFFF_FFFFL)
                .shiftLeft(80)
                .or(new BigInteger(1, random));
        var chars = new char[ID_LENGTH];
        for (int i = ID_LENGTH - 1; i >= 0; i--) {
            var division = bits.divideAndRemainder(BASE);
            chars[i] = ALPHABET[division[1].intValue()];
            bits = division[0];
        }
        return prefix + "_" + new String(chars);
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
