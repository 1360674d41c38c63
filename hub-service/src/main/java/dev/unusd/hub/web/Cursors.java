package dev.unusd.hub.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Opaque, tamper-evident keyset cursors. A cursor carries the sort key of the last row of a page and is signed
 * with HMAC-SHA256 over that key and a scope (the tenant, the endpoint and its filters), so it cannot be forged,
 * edited, or replayed against another tenant or another query. The key lives in the database, so every hub
 * instance accepts every other instance's cursors.
 */
@Component
public class Cursors {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAC_BYTES = 16;
    private static final char SEPARATOR = '\u001f';

    private final JdbcClient jdbc;
    private volatile byte @Nullable [] key;

    Cursors(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Encodes the sort key of a page's last row. */
    public String encode(String scope, List<String> sortKey) {
        byte[] payload = String.join(String.valueOf(SEPARATOR), sortKey).getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(scope, payload));
    }

    /** The sort key a cursor carries, or a 400 problem when the cursor was not issued for this scope. */
    public List<String> decode(String scope, String cursor, int expectedParts) {
        int dot = cursor.indexOf('.');
        try {
            if (dot < 1 || cursor.length() > 2048) {
                throw invalid();
            }
            byte[] payload = DECODER.decode(cursor.substring(0, dot));
            byte[] presented = DECODER.decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(presented, mac(scope, payload))) {
                throw invalid();
            }
            List<String> parts = new ArrayList<>(Arrays.asList(new String(payload, StandardCharsets.UTF_8)
                    .split(String.valueOf(SEPARATOR), -1)));
            if (parts.size() != expectedParts) {
                throw invalid();
            }
            return parts;
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return ApiException.badRequest("cursor", "is not a cursor issued for this list and filter");
    }

    private byte[] mac(String scope, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            mac.update(scope.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(payload);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            String secret = jdbc.sql("select value from hub_secrets where name = 'cursor-hmac-key'")
                    .query(String.class).single();
            k = secret.getBytes(StandardCharsets.UTF_8);
            key = k;
        }
        return k;
    }
}
