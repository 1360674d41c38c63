package dev.unusd.spokesim.sts;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Temporary credentials STS issued, by access key id. */
public final class Sessions {

    private static final char[] KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private final Map<String, Session> byAccessKeyId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    Session issue(Principal principal, Instant expiration) {
        Session session = new Session("ASIA" + random(KEY_CHARS, 16), random(SECRET_CHARS, 40),
                "FwoGZXIvYXdzE" + random(SECRET_CHARS, 200), principal, expiration);
        byAccessKeyId.put(session.accessKeyId(), session);
        return session;
    }

    public Optional<Session> find(String accessKeyId) {
        return Optional.ofNullable(byAccessKeyId.get(accessKeyId));
    }

    /** Every secret of every session issued so far (secret keys and session tokens). */
    public java.util.List<String> secrets() {
        return byAccessKeyId.values().stream()
                .flatMap(s -> java.util.stream.Stream.of(s.secretAccessKey(), s.sessionToken())).toList();
    }

    /** Lets a test see ExpiredTokenException without waiting the 15 minutes a session lasts at least. */
    public void expireAll(Instant now) {
        byAccessKeyId.replaceAll((id, s) -> new Session(s.accessKeyId(), s.secretAccessKey(), s.sessionToken(),
                s.principal(), now.minusSeconds(1)));
    }

    private String random(char[] alphabet, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(chars);
    }

    public record Session(String accessKeyId, String secretAccessKey, String sessionToken, Principal principal,
            Instant expiration) {
    }
}
