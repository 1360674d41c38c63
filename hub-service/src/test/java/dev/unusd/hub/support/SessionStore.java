package dev.unusd.hub.support;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The dashboard's sessions as PostgreSQL holds them (Spring Session JDBC's tables), read past the hub: what a backup
 * of the database would carry.
 */
public final class SessionStore {

    /** More than the 6 characters of a key's random part that key lists show, and 48 bits: never there by chance. */
    private static final int PIECE = 8;

    private static final Pattern API_KEY = Pattern.compile("unusd_[A-Za-z0-9_-]{43}");

    private SessionStore() {
    }

    /** The session id in a SESSION cookie's value (Spring Session writes it in Base64). */
    public static String sessionId(String cookieValue) {
        return new String(Base64.getDecoder().decode(cookieValue), StandardCharsets.US_ASCII);
    }

    /** How many sessions of this id are stored (0 or 1). */
    public static long sessions(String sessionId) throws Exception {
        return count("select count(*) from spring_session where session_id = ?", sessionId);
    }

    /** How many attributes (CSRF token, security context, ...) are stored for the session. */
    public static long attributes(String sessionId) throws Exception {
        return count("""
                select count(*) from spring_session_attributes a
                join spring_session s on s.primary_id = a.session_primary_id
                where s.session_id = ?""", sessionId);
    }

    /**
     * The pieces of {@code secret} found in the stored attributes of any session, each {@link #PIECE} characters long.
     * Attributes are Java-serialised, and a serialised String of ASCII characters keeps its bytes as they are, so a
     * piece stored in any attribute is found here. For a key, pass its random part (after {@code unusd_}).
     */
    public static Set<String> piecesOf(String secret) throws Exception {
        List<String> stored = storedAttributes();
        Set<String> found = new LinkedHashSet<>();
        for (int start = 0; start + PIECE <= secret.length(); start++) {
            String piece = secret.substring(start, start + PIECE);
            if (stored.stream().anyMatch(bytes -> bytes.contains(piece))) {
                found.add(piece);
            }
        }
        return found;
    }

    /** The API keys ({@code unusd_} and 43 characters of base64url) found whole in any session's stored attributes. */
    public static Set<String> apiKeys() throws Exception {
        Set<String> found = new LinkedHashSet<>();
        for (String bytes : storedAttributes()) {
            API_KEY.matcher(bytes).results().forEach(m -> found.add(m.group()));
        }
        return found;
    }

    private static List<String> storedAttributes() throws Exception {
        List<String> stored = new ArrayList<>();
        try (Connection c = TestDatabase.get().admin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select attribute_bytes from spring_session_attributes")) {
            while (rs.next()) {
                stored.add(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1));
            }
        }
        return stored;
    }

    private static long count(String sql, String sessionId) throws Exception {
        try (Connection c = TestDatabase.get().admin(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, sessionId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
