package dev.unusd.spokesim.wire;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One page of a KMS list call. Markers are opaque to clients; ours carry the operation and an offset into the list, so
 * a marker from another call is an InvalidMarkerException. A key or tag added or removed between two pages shifts the
 * rest by one: tests that change keys do it between scans, not during one.
 */
public record Page<T>(List<T> items, String nextMarker) {

    public static <T> Page<T> of(List<T> all, String operation, Integer limit, int maxLimit, int defaultLimit, String marker) {
        int size = limit == null ? defaultLimit : limit;
        if (size < 1) {
            throw AwsError.validation("1 validation error detected: Value '" + size + "' at 'limit' failed to satisfy "
                    + "constraint: Member must have value greater than or equal to 1");
        }
        if (size > maxLimit) {
            throw AwsError.validation("1 validation error detected: Value '" + size + "' at 'limit' failed to satisfy "
                    + "constraint: Member must have value less than or equal to " + maxLimit);
        }
        int from = marker == null ? 0 : offset(operation, marker, all.size());
        int to = Math.min(all.size(), from + size);
        return new Page<>(all.subList(from, to), to < all.size() ? encode(operation, to) : null);
    }

    public boolean truncated() {
        return nextMarker != null;
    }

    private static String encode(String operation, int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((operation + ":" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String operation, String marker, int size) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
            int colon = decoded.lastIndexOf(':');
            int offset = Integer.parseInt(decoded.substring(colon + 1));
            if (colon < 0 || !decoded.substring(0, colon).equals(operation) || offset < 0 || offset > size) {
                throw invalid();
            }
            return offset;
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw invalid();
        }
    }

    private static AwsError invalid() {
        return AwsError.client("InvalidMarkerException", "Invalid marker");
    }
}
