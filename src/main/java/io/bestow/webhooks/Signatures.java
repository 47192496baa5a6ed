package io.bestow.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">} under the secret's bytes (the
 * base64 after {@code whsec_}); several secrets give several signatures, space-separated.
 */
final class Signatures {

    static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {}

    /** A new secret: {@code whsec_} and 32 random bytes in base64. */
    static String newSecret() {
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The {@code webhook-signature} header's value for a message signed with each secret. */
    static String header(List<String> secrets, String id, long timestamp, String body) {
        return secrets.stream()
                .map(secret -> "v1," + sign(secret, id, timestamp, body))
                .collect(Collectors.joining(" "));
    }

    /** Whether the header carries a valid {@code v1} signature of the message under the secret. */
    static boolean verify(String secret, String header, String id, long timestamp, String body) {
        var expected = sign(secret, id, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        for (var signature : header.trim().split("\\s+")) {
            if (signature.startsWith("v1,")
                    && MessageDigest.isEqual(expected, signature.substring(3).getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    static String sign(String secret, String id, long timestamp, String body) {
        return Base64.getEncoder().encodeToString(hmac(key(secret), id + "." + timestamp + "." + body));
    }

    static byte[] hmac(byte[] key, String content) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] key(String secret) {
        return Base64.getDecoder().decode(secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret);
    }
}
