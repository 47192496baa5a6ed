package io.bestow.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets at rest (connector credentials and tokens, webhook signing secrets) with AES-256-GCM under the
 * master key: {@code BESTOW_MASTER_KEY} (32 bytes, base64 or hex), or else a key generated once into
 * {@code master.key} in the data directory. Each value gets its own random 96-bit nonce, stored in front of it.
 */
@Component
public class Secrets {

    private static final Logger log = LoggerFactory.getLogger(Secrets.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String MASK = "••••";

    private final SecretKeySpec key;

    Secrets(@Value("${bestow.master-key:}") String masterKey, @Value("${bestow.data-dir}") String dataDir) {
        this.key = new SecretKeySpec(masterKey.isBlank() ? keyFile(Path.of(dataDir)) : decode(masterKey), "AES");
    }

    /** The value encrypted, nonce first. */
    public byte[] encrypt(String plain) {
        try {
            var nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            var sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt a secret", e);
        }
    }

    /** The plain value; fails when the data was not sealed with this master key or was changed. */
    public String decrypt(byte[] sealed) {
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            return new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decrypt a secret: was the master key changed?", e);
        }
    }

    /** How the API shows a secret: {@code ••••} and its last four characters, or only the dots when it is short. */
    public static @Nullable String mask(@Nullable String secret) {
        if (secret == null) {
            return null;
        }
        return secret.length() < 12 ? MASK : MASK + secret.substring(secret.length() - 4);
    }

    private static byte[] decode(String value) {
        var trimmed = value.trim();
        byte[] bytes;
        try {
            bytes = trimmed.length() == 64 && trimmed.matches("[0-9a-fA-F]+")
                    ? HexFormat.of().parseHex(trimmed)
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("BESTOW_MASTER_KEY must be 32 bytes in base64 or hex");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("BESTOW_MASTER_KEY must be 32 bytes (256 bits), not " + bytes.length);
        }
        return bytes;
    }

    private static byte[] keyFile(Path dataDir) {
        var file = dataDir.resolve("master.key");
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file));
            }
            Files.createDirectories(dataDir);
            var bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            Files.writeString(
                    file,
                    Base64.getEncoder().encodeToString(bytes),
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            try {
                Files.setPosixFilePermissions(file, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                log.warn("Cannot restrict the permissions of {}", file);
            }
            log.info("Generated a master key for secrets at {}: back it up with the database", file);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the master key " + file, e);
        }
    }
}
