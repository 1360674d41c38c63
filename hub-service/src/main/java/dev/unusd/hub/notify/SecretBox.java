package dev.unusd.hub.notify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.unusd.hub.web.ApiException;

/**
 * Encrypts the secrets channels hold (targets, signing secrets) with AES-256-GCM under HUB_SECRETS_KEY: a fresh
 * 96-bit nonce per value, stored as nonce || ciphertext || tag. The key never leaves the process's configuration,
 * so a copy of the database alone reveals no webhook URL.
 */
@Component
class SecretBox {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final @Nullable SecretKeySpec key;

    SecretBox(NotifyProperties properties) {
        this.key = parse(properties.secretsKey());
    }

    private static @Nullable SecretKeySpec parse(@Nullable String base64) {
        if (base64 == null || base64.isBlank()) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("HUB_SECRETS_KEY must be base64 (e.g. openssl rand -base64 32)");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("HUB_SECRETS_KEY must be 32 bytes (base64 of openssl rand 32), was "
                    + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    /** Refuses to store a channel when the hub has no key: plaintext at rest is never the fallback. */
    void requireKey() {
        if (key == null) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                    "This hub has no HUB_SECRETS_KEY: notification channels cannot be stored; nothing was changed");
        }
    }

    byte[] seal(String plaintext) {
        requireKey();
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    String open(byte[] sealed) {
        if (key == null) {
            throw new IllegalStateException("HUB_SECRETS_KEY is not set: stored channel secrets cannot be read");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            return new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // A changed HUB_SECRETS_KEY, or tampering: the tag does not verify. The value is never guessed at.
            throw new IllegalStateException("A stored channel secret does not decrypt under HUB_SECRETS_KEY", e);
        }
    }
}
