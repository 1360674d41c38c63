package dev.unusd.hub.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a signed webhook, written from the Standard Webhooks specification (not the hub's code):
 * the signed content is {@code id + "." + timestamp + "." + body}; the key is the base64 part of the {@code whsec_}
 * secret, decoded; {@code webhook-signature} is a space-separated list of {@code version,base64(HMAC-SHA256)}, any
 * one of which may match; a timestamp more than five minutes off is refused to stop replays.
 */
final class StandardWebhooksVerifier {

    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final byte[] key;

    StandardWebhooksVerifier(String secret) {
        if (!secret.startsWith("whsec_")) {
            throw new IllegalArgumentException("not a whsec_ secret");
        }
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    boolean verify(String id, String timestamp, String signatureHeader, String body) throws Exception {
        if (id == null || timestamp == null || signatureHeader == null) {
            return false;
        }
        Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp));
        if (Duration.between(sent, Instant.now()).abs().compareTo(TOLERANCE) > 0) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        for (String candidate : signatureHeader.split(" ")) {
            int comma = candidate.indexOf(',');
            if (comma > 0 && candidate.substring(0, comma).equals("v1")
                    && MessageDigest.isEqual(expected, Base64.getDecoder().decode(candidate.substring(comma + 1)))) {
                return true;
            }
        }
        return false;
    }
}
