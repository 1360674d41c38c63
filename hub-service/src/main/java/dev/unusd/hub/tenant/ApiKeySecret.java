package dev.unusd.hub.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The format of tenant API keys: {@code unusd_} and 32 random bytes in base64url. The prefix makes a leaked key
 * recognisable to secret scanners; only the SHA-256 of the key is stored (the key has 256 bits of entropy, so a
 * slow password hash would add nothing but latency to every request).
 */
final class ApiKeySecret {

    static final String PREFIX = "unusd_";
    private static final int RANDOM_BYTES = 32;
    private static final int SHOWN_CHARACTERS = PREFIX.length() + 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecret() {
    }

    static String generate() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean looksLikeKey(String token) {
        return token.startsWith(PREFIX) && token.length() == PREFIX.length() + 43;
    }

    /** What a key list shows to tell keys apart: the first few characters, never enough to use. */
    static String displayPrefix(String key) {
        return key.substring(0, SHOWN_CHARACTERS);
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
