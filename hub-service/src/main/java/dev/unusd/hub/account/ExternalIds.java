package dev.unusd.hub.account;

import java.security.SecureRandom;

/**
 * ExternalIds the hub issues, one per account registered by hand and one per organisation: {@code unusd-} and 40
 * random base62 characters (about 238 bits), so no one outside the tenant can guess the id that another account's
 * role trusts.
 */
public final class ExternalIds {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int RANDOM_CHARACTERS = 40;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ExternalIds() {
    }

    public static String generate() {
        StringBuilder id = new StringBuilder("unusd-");
        for (int i = 0; i < RANDOM_CHARACTERS; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
