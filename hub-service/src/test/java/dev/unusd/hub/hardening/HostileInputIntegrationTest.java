package dev.unusd.hub.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;

/**
 * A generated corpus of hostile requests against every writing and filtering endpoint. Every answer must be a
 * 4xx problem+json that leaks no internals, nothing may be written, and the hub must stay healthy.
 */
class HostileInputIntegrationTest extends HubIntegrationTest {

    /** Values that are wrong wherever a string, number, boolean, region or id is expected. */
    static final List<Object> HOSTILE_VALUES = List.of(
            "", " ", "\u0000", "\u202e\u0007bell", "x".repeat(5000), "' OR '1'='1", "1; DROP TABLE accounts; --",
            "\"}]},{\"injected\":true", "../../etc/passwd", "arn:aws:kms:us-east-1:123456789012:key/../../../etc/passwd",
            "%00%2e%2e%2f", "${jndi:ldap://example.invalid/a}", "<script>alert(1)</script>", "🔑🔑🔑", -1, 0,
            Long.MAX_VALUE, 1.5e308, true, List.of(), List.of(List.of()), Map.of(), Map.of("$gt", ""));

    // An empty query value ("limit=") counts as not given, so the default applies: not hostile.
    static final List<String> QUERY_VALUES = List.of("-1", "0", "501", "99999999999999999999", "abc", "1.5",
            "%27%20OR%201%3D1--", "..%2F..%2Fetc%2Fpasswd", "%00", "%E2%80%AE", "null", "%5B%5D", "%7B%7D");

    @Test
    void everyHostileRequestIsAClean4xxAndChangesNothing() {
        TenantHandle tenant = newTenant();
        String accountId = tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "423456789012", "name", "kept"))
                .json().get("id").asString();
        String before = snapshot(tenant);

        List<Probe> corpus = corpus(accountId);
        List<String> failures = new ArrayList<>();
        int fiveHundreds = 0;
        for (Probe probe : corpus) {
            ApiClient.Response r = tenant.api().send(probe.method(), probe.path(), probe.body(), probe.headers());
            if (r.status() >= 500) {
                fiveHundreds++;
            }
            if (r.status() < 400 || r.status() >= 500) {
                failures.add(probe + " -> " + r.status() + " " + abbreviate(r.text()));
            } else if (!String.valueOf(r.contentType()).startsWith("application/problem+json")) {
                failures.add(probe + " -> not problem+json: " + r.contentType());
            } else if (leaksInternals(r.text())) {
                failures.add(probe + " -> leaks internals: " + abbreviate(r.text()));
            }
        }
        System.out.printf("input: %d requests, %d 5xx%n", corpus.size(), fiveHundreds);

        assertThat(corpus.size()).isGreaterThanOrEqualTo(300);
        assertThat(failures).isEmpty();
        assertThat(snapshot(tenant)).isEqualTo(before);
        assertThat(anonymous().get("/actuator/health").status()).isEqualTo(200);
    }

    record Probe(String method, String path, Object body, Map<String, String> headers) {
        @Override
        public String toString() {
            return method + " " + path + " " + abbreviate(String.valueOf(body));
        }
    }

    static List<Probe> corpus(String accountId) {
        List<Probe> probes = new ArrayList<>();
        Map<String, Object> validAccount = Map.of("awsAccountId", "523456789012", "name", "n", "regions", List.of("us-east-1"));
        Map<String, Object> validSettings = Map.of(
                "exceptionTag", Map.of("key", "unusd", "value", "true"), "unusedDays", 90, "maxRotationPeriodDays", 365,
                "defaultRegions", List.of("us-east-1"),
                "schedule", Map.of("cron", "0 0 6 * * *", "timezone", "UTC", "enabled", true));

        // Each field of each body replaced by each hostile value.
        for (String field : validAccount.keySet()) {
            for (Object value : HOSTILE_VALUES) {
                if (field.equals("name") && value instanceof String s && !s.isBlank() && s.length() <= 200
                        && !s.contains("\u0000")) {
                    continue; // any short printable text is a valid name
                }
                if (field.equals("regions") && value.equals(List.of())) {
                    continue; // no regions: every region
                }
                probes.add(new Probe("POST", "/api/v1/accounts", with(validAccount, field, value), Map.of()));
            }
        }
        for (String field : List.of("name", "regions", "enabled")) {
            for (Object value : HOSTILE_VALUES) {
                boolean validName = field.equals("name") && value instanceof String s && !s.isBlank() && s.length() <= 200
                        && !s.contains("\u0000");
                if (validName || (field.equals("enabled") && value instanceof Boolean)
                        || (field.equals("regions") && value.equals(List.of()))) {
                    continue;
                }
                probes.add(new Probe("PATCH", "/api/v1/accounts/" + accountId, Map.of(field, value), Map.of()));
            }
        }
        for (String field : List.of("unusedDays", "maxRotationPeriodDays", "defaultRegions")) {
            for (Object value : HOSTILE_VALUES) {
                if (field.equals("defaultRegions") && value.equals(List.of())) {
                    continue; // no restriction: every region
                }
                probes.add(new Probe("PUT", "/api/v1/settings", with(validSettings, field, value), Map.of()));
            }
        }
        for (Object cron : List.of("", "* * * * *", "0 0 25 * * *", "0 0 6 * * * *", "61 0 6 * * *", "0 0 6 ? ? ?",
                "@daily", "0 0 6 * * MOO", "\u0000", "x".repeat(300))) {
            probes.add(new Probe("PUT", "/api/v1/settings",
                    with(validSettings, "schedule", Map.of("cron", cron, "timezone", "UTC", "enabled", true)), Map.of()));
        }
        for (Object tz : List.of("", "Mars/Olympus", "UTC+25", "../../etc/localtime", "Europe/Berlin\u0000", "GMT+99")) {
            probes.add(new Probe("PUT", "/api/v1/settings",
                    with(validSettings, "schedule", Map.of("cron", "0 0 6 * * *", "timezone", tz, "enabled", true)), Map.of()));
        }
        for (Object tag : List.of(Map.of("key", "", "value", "x"), Map.of("key", "k".repeat(129), "value", "x"),
                Map.of("key", "k"), Map.of("value", "v"), "unusd=true", List.of("unusd", "true"))) {
            probes.add(new Probe("PUT", "/api/v1/settings", with(validSettings, "exceptionTag", tag), Map.of()));
        }
        // Extra fields, missing fields, unknown enums, deep and huge documents, broken JSON.
        probes.add(new Probe("POST", "/api/v1/accounts", with(validAccount, "tenantId", "00000000-0000-0000-0000-000000000000"), Map.of()));
        probes.add(new Probe("POST", "/api/v1/accounts", with(validAccount, "externalId", "a".repeat(40)), Map.of()));
        probes.add(new Probe("POST", "/api/v1/accounts", with(validAccount, "status", "CONNECTED"), Map.of()));
        probes.add(new Probe("PATCH", "/api/v1/accounts/" + accountId, Map.of("enabled", "yes"), Map.of()));
        probes.add(new Probe("PATCH", "/api/v1/accounts/" + accountId, Map.of("status", "CONNECTED"), Map.of()));
        probes.add(new Probe("PATCH", "/api/v1/accounts/" + accountId, Map.of("regions", List.of("us-east-1", "moon-1")), Map.of()));
        probes.add(new Probe("PATCH", "/api/v1/accounts/" + accountId, Map.of("name", ""), Map.of()));
        for (String path : List.of("/api/v1/accounts", "/api/v1/settings", "/api/v1/tenants")) {
            String method = path.equals("/api/v1/settings") ? "PUT" : "POST";
            probes.add(new Probe(method, path, "[".repeat(5000) + "]".repeat(5000), Map.of()));
            probes.add(new Probe(method, path, "{\"a\":".repeat(3000) + "1" + "}".repeat(3000), Map.of()));
            probes.add(new Probe(method, path, "{\"name\": \"" + "x".repeat(200_000) + "\"}", Map.of()));
            probes.add(new Probe(method, path, "{", Map.of()));
            probes.add(new Probe(method, path, "null", Map.of()));
            probes.add(new Probe(method, path, "\"just a string\"", Map.of()));
            probes.add(new Probe(method, path, "{\"name\": \"a\", \"name\": \"b\"}", Map.of()));
            probes.add(new Probe(method, path, "\u0000\u0001\u0002", Map.of()));
            probes.add(new Probe(method, path, "name=a", Map.of("Content-Type", "application/x-www-form-urlencoded")));
            probes.add(new Probe(method, path, "<a/>", Map.of("Content-Type", "application/xml")));
        }
        // Paths and query parameters.
        for (String value : QUERY_VALUES) {
            probes.add(new Probe("GET", "/api/v1/accounts?limit=" + value, null, Map.of()));
            probes.add(new Probe("GET", "/api/v1/accounts?cursor=" + value, null, Map.of()));
            probes.add(new Probe("GET", "/api/v1/api-keys?limit=" + value, null, Map.of()));
            probes.add(new Probe("GET", "/api/v1/accounts/" + value, null, Map.of()));
            probes.add(new Probe("DELETE", "/api/v1/api-keys/" + value, null, Map.of()));
        }
        for (String cursor : List.of("eyJhIjoxfQ.AAAA", "AAAA.AAAA", ".", "a.b.c", "x".repeat(3000), "%2E%2E")) {
            probes.add(new Probe("GET", "/api/v1/accounts?cursor=" + cursor, null, Map.of()));
            probes.add(new Probe("GET", "/api/v1/api-keys?cursor=" + cursor, null, Map.of()));
        }
        probes.add(new Probe("GET", "/api/v1/accounts/..%2F..%2Fapi-keys", null, Map.of()));
        probes.add(new Probe("DELETE", "/api/v1/accounts/00000000-0000-0000-0000-000000000000", null, Map.of()));
        probes.add(new Probe("PUT", "/api/v1/accounts/" + accountId, validAccount, Map.of()));
        probes.add(new Probe("DELETE", "/api/v1/settings", null, Map.of()));
        return probes;
    }

    /** What the tenant can see of itself: unchanged after the corpus. */
    private static String snapshot(TenantHandle tenant) {
        return tenant.api().get("/api/v1/accounts").json().get("items").toString()
                + tenant.api().get("/api/v1/settings").text()
                + tenant.api().get("/api/v1/api-keys").json().get("items").size();
    }

    static boolean leaksInternals(String body) {
        return body.contains("Exception") || body.contains("java.") || body.contains("org.springframework")
                || body.contains("tools.jackson") || body.contains("SQL") || body.contains("\tat ")
                || body.contains("hibernate") || body.contains("postgres");
    }

    private static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(base);
        copy.put(field, value);
        return copy;
    }

    static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
