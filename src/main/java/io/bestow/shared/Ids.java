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

    /** A random base-62 string of the given length, for ids, keys and tokens. */
    public static String random(int length) {
        var chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}
