package dev.unusd.spokesim.wire;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON as the AWS JSON 1.1 protocol writes it: timestamps are epoch seconds with a fraction, never exponents. */
public final class WireJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private WireJson() {
    }

    /** Loads the serialisation classes before the first request needs them. */
    public static void warmUp() {
        write(Map.of("KeyMetadata", Map.of("CreationDate", epochSeconds(Instant.EPOCH), "Enabled", true,
                "EncryptionAlgorithms", List.of("SYMMETRIC_DEFAULT"))));
        read("{\"KeyId\":\"k\",\"Limit\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(byte[] body) {
        if (body.length == 0) {
            return Map.of();
        }
        return MAPPER.readValue(body, Map.class);
    }

    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    public static String string(Map<String, Object> request, String name) {
        Object value = request.get(name);
        return value == null ? null : value.toString();
    }

    public static Integer integer(Map<String, Object> request, String name) {
        Object value = request.get(name);
        return value instanceof Number n ? Integer.valueOf(n.intValue()) : value == null ? null
                : Integer.valueOf(value.toString());
    }

    /** JSON 1.1 sends timestamps as epoch seconds; accept ISO text too, as hand-written clients do. */
    public static Instant instant(Map<String, Object> request, String name) {
        Object value = request.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return Instant.ofEpochMilli(Math.round(n.doubleValue() * 1000));
        }
        return Instant.parse(value.toString());
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Map<String, Object> request, String name) {
        Object value = request.get(name);
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
