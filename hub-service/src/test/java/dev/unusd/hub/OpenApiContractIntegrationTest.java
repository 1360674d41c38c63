package dev.unusd.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Holds the served OpenAPI document to the contract: every line of the checklist in docs/api.md (operation,
 * parameter, request field, response field, enum values) must be in /v3/api-docs. Reports all gaps at once.
 */
class OpenApiContractIntegrationTest extends HubIntegrationTest {

    private static final Path CONTRACT = Path.of("..", "docs", "api.md");
    private static final Pattern LINE = Pattern.compile(
            "(GET|POST|PUT|PATCH|DELETE) (\\S+)(?: (param|request|response|media) (\\S+)(?: = (\\S+))?)?");

    record Check(String method, String path, String kind, String name, List<String> values, String line) {
    }

    @Test
    void servedDocumentHasEveryPathFieldAndEnumValueOfTheContract() throws IOException {
        List<Check> checks = checklist();
        assertThat(checks).hasSizeGreaterThan(150);
        ApiClient.Response response = anonymous().get("/v3/api-docs");
        assertThat(response.status()).isEqualTo(200);
        // Kept for reading: what the hub serves, next to the test reports.
        Files.writeString(Path.of("target", "openapi.json"), response.text());
        JsonNode doc = response.json();

        List<String> missing = new ArrayList<>();
        for (Check check : checks) {
            verify(doc, check).ifPresent(problem -> missing.add(check.line() + "  -> " + problem));
        }
        assertThat(missing).as("contract lines the served OpenAPI document lacks:\n" + String.join("\n", missing))
                .isEmpty();
    }

    @Test
    void documentHasTheApisNameRealStatusCodesProblemsAndTheBearerScheme() {
        JsonNode doc = anonymous().get("/v3/api-docs").json();

        assertThat(doc.get("info").get("title").asString()).isEqualTo("unusd hub API");
        assertThat(doc.get("info").get("version").asString()).isEqualTo("v1");
        assertThat(doc.get("info").get("description").asString()).startsWith("The unusd hub finds the AWS KMS keys");
        assertThat(doc.get("components").get("securitySchemes").get("bearer").toString()).contains(
                "\"type\":\"http\"", "\"scheme\":\"bearer\"");
        assertThat(properties(doc.get("components").get("schemas").get("Problem")))
                .containsExactly("type", "title", "status", "detail", "instance", "errors");

        JsonNode register = doc.get("paths").get("/api/v1/accounts").get("post");
        assertThat(codes(register)).containsExactly("201", "400", "401", "403", "409", "413", "429", "503");
        assertThat(register.get("responses").get("201").get("content").get("application/json").get("schema")
                .get("$ref").asString()).isEqualTo("#/components/schemas/AccountView");
        assertThat(register.get("responses").get("201").get("headers").has("Location")).isTrue();
        assertThat(register.get("responses").get("409").get("content").get("application/problem+json").get("schema")
                .get("$ref").asString()).isEqualTo("#/components/schemas/Problem");
        assertThat(register.get("responses").get("409").get("description").asString())
                .isEqualTo("The AWS account is already registered for this tenant");
        assertThat(register.get("security").toString()).isEqualTo("[{\"bearer\":[]}]");

        JsonNode paths = doc.get("paths");
        assertThat(codes(paths.get("/api/v1/accounts/{id}").get("delete")))
                .containsExactly("204", "400", "401", "403", "404", "429");
        assertThat(paths.get("/api/v1/accounts/{id}").get("delete").get("responses").get("204").has("content")).isFalse();
        assertThat(codes(paths.get("/api/v1/accounts/{id}").get("get")))
                .containsExactly("200", "304", "400", "401", "403", "404", "429", "503");
        assertThat(codes(paths.get("/api/v1/scans").get("post")))
                .containsExactly("202", "400", "401", "403", "404", "409", "413", "429");
        assertThat(codes(paths.get("/api/v1/api-keys/{id}").get("delete")))
                .containsExactly("204", "400", "401", "403", "404", "409", "429");
        assertThat(codes(paths.get("/api/v1/summary").get("get"))).containsExactly("200", "304", "400", "401", "403", "429");
        // The admin API has no per-key rate limit; the template is public.
        assertThat(codes(paths.get("/api/v1/tenants").get("post"))).containsExactly("201", "400", "401", "403", "413");
        JsonNode template = paths.get("/api/v1/onboarding/spoke-role.yaml").get("get");
        assertThat(codes(template)).containsExactly("200", "400", "503");
        assertThat(template.has("security")).isFalse();
        assertThat(template.get("responses").get("200").get("content").has("text/yaml")).isTrue();
        // Repeatable filters are arrays; the settings answer says when the schedule runs next.
        assertThat(param(paths.get("/api/v1/findings").get("get"), "status").get("schema").get("type").asString())
                .isEqualTo("array");
        assertThat(param(paths.get("/api/v1/findings").get("get"), "limit").get("schema").get("type").asString())
                .isEqualTo("integer");
    }

    private static List<String> codes(JsonNode operation) {
        List<String> codes = new ArrayList<>();
        operation.get("responses").propertyNames().forEach(codes::add);
        return codes;
    }

    private static List<String> properties(JsonNode schema) {
        List<String> names = new ArrayList<>();
        schema.get("properties").propertyNames().forEach(names::add);
        return names;
    }

    private static JsonNode param(JsonNode operation, String name) {
        for (JsonNode p : operation.get("parameters")) {
            if (p.get("name").asString().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    @Test
    void swaggerUiIsServed() {
        assertThat(anonymous().get("/swagger-ui.html").status()).isIn(200, 302);
        assertThat(anonymous().get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    static List<Check> checklist() throws IOException {
        String text = Files.readString(CONTRACT);
        int start = text.indexOf("```contract");
        int end = text.indexOf("```", start + 3);
        assertThat(start).as("docs/api.md has a ```contract block").isPositive();
        List<Check> checks = new ArrayList<>();
        for (String raw : text.substring(start, end).split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("```")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as("contract line: " + line).isTrue();
            checks.add(new Check(m.group(1), m.group(2), m.group(3) == null ? "operation" : m.group(3),
                    m.group(4) == null ? "" : m.group(4),
                    m.group(5) == null ? List.of() : Arrays.asList(m.group(5).split("\\|")), line));
        }
        return checks;
    }

    private static Optional<String> verify(JsonNode doc, Check check) {
        JsonNode operation = doc.path("paths").path(check.path()).path(check.method().toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            return Optional.of("no operation");
        }
        Optional<JsonNode> success = success(operation);
        return switch (check.kind()) {
            case "operation" -> Optional.empty();
            case "param" -> param(doc, operation, check);
            case "request" -> field(doc, operation.path("requestBody").path("content"), check);
            case "media" -> success.isEmpty() ? Optional.of("no success response")
                    : success.get().path("content").has(check.name()) ? Optional.empty()
                    : Optional.of("no " + check.name() + " response");
            case "response" -> success.isEmpty() ? Optional.of("no success response")
                    : field(doc, success.get().path("content"), check);
            default -> Optional.of("unknown kind");
        };
    }

    private static Optional<JsonNode> success(JsonNode operation) {
        for (String status : List.of("200", "201", "202")) {
            if (operation.path("responses").has(status)) {
                return Optional.of(operation.path("responses").path(status));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> param(JsonNode doc, JsonNode operation, Check check) {
        for (JsonNode p : operation.path("parameters")) {
            if (p.path("name").asString().equals(check.name())) {
                return enumMismatch(doc, p.path("schema"), check);
            }
        }
        return Optional.of("no parameter");
    }

    private static Optional<String> field(JsonNode doc, JsonNode content, Check check) {
        // The JSON representation when an operation also has others (the findings CSV).
        JsonNode schema = null;
        for (String type : List.of("application/json", "*/*")) {
            if (content.path(type).has("schema")) {
                schema = content.path(type).path("schema");
                break;
            }
        }
        for (JsonNode media : content) {
            if (schema == null && media.has("schema")) {
                schema = media.path("schema");
            }
        }
        if (schema == null) {
            return Optional.of("no body schema");
        }
        for (String segment : check.name().split("\\.")) {
            boolean array = segment.endsWith("[]");
            String name = array ? segment.substring(0, segment.length() - 2) : segment;
            JsonNode property = property(doc, schema, name);
            if (property == null) {
                return Optional.of("no field " + name);
            }
            schema = array ? items(doc, property) : property;
            if (schema == null) {
                return Optional.of(name + " is not an array");
            }
        }
        return enumMismatch(doc, schema, check);
    }

    private static Optional<String> enumMismatch(JsonNode doc, JsonNode schema, Check check) {
        if (check.values().isEmpty()) {
            return Optional.empty();
        }
        Set<String> actual = new LinkedHashSet<>();
        collectEnum(doc, schema, actual, 0);
        return actual.equals(new LinkedHashSet<>(check.values())) ? Optional.empty()
                : Optional.of("enum " + actual + " instead of " + check.values());
    }

    private static void collectEnum(JsonNode doc, JsonNode schema, Set<String> values, int depth) {
        JsonNode s = resolve(doc, schema);
        s.path("enum").forEach(v -> {
            if (!v.isNull()) {
                values.add(v.asString());
            }
        });
        if (depth < 4) {
            for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
                s.path(combinator).forEach(part -> collectEnum(doc, part, values, depth + 1));
            }
            if (s.has("items")) {
                collectEnum(doc, s.path("items"), values, depth + 1);
            }
        }
    }

    /** The named property of an object schema, through $ref and allOf/anyOf/oneOf (nullable types). */
    private static JsonNode property(JsonNode doc, JsonNode schema, String name) {
        JsonNode s = resolve(doc, schema);
        if (s.path("properties").has(name)) {
            return s.path("properties").path(name);
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            for (JsonNode part : s.path(combinator)) {
                JsonNode found = property(doc, part, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static JsonNode items(JsonNode doc, JsonNode schema) {
        JsonNode s = resolve(doc, schema);
        if (s.has("items")) {
            return s.path("items");
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            for (JsonNode part : s.path(combinator)) {
                JsonNode found = items(doc, part);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        JsonNode s = schema;
        for (int i = 0; i < 10 && s.has("$ref"); i++) {
            String ref = s.path("$ref").asString();
            s = doc.path("components").path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return s;
    }
}
