package dev.unusd.hub.organization;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * AWS Organizations' read calls for one sync, as JSON 1.1 requests signed with the SDK's SigV4 signer (the SDK's
 * organizations module is not among the hub's dependencies). Calls go one at a time, no faster than the configured
 * rate; TooManyRequestsException, 5xx answers and broken connections are retried with exponential back-off and
 * jitter (a random wait between half and all of 1 s, 2 s, 4 s, ... up to 20 s by default). Every list is read to
 * its last page. Counts its calls and throttled answers for the sync's record.
 */
class OrganizationReader {

    static final String TARGET_PREFIX = "AWSOrganizationsV20161128.";
    /** Organizations is global: its endpoint and signing region are us-east-1 in the commercial partition. */
    static final String SIGNING_REGION = "us-east-1";
    private static final int PAGE_SIZE = 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SdkHttpClient http;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final OrganizationsProperties properties;
    private final long intervalNanos;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private long nextCallAt = System.nanoTime();
    private int calls;
    private int throttled;

    OrganizationReader(SdkHttpClient http, URI endpoint, AwsCredentialsProvider credentials,
            OrganizationsProperties properties) {
        this.http = http;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.properties = properties;
        this.intervalNanos = (long) (1_000_000_000L / properties.callsPerSecond());
    }

    int calls() {
        return calls;
    }

    int throttled() {
        return throttled;
    }

    JsonNode describeOrganization() {
        return call("DescribeOrganization", Map.of()).get("Organization");
    }

    List<JsonNode> listRoots() {
        return all("ListRoots", Map.of(), "Roots");
    }

    List<JsonNode> listOrganizationalUnitsForParent(String parentId) {
        return all("ListOrganizationalUnitsForParent", Map.of("ParentId", parentId), "OrganizationalUnits");
    }

    List<JsonNode> listAccountsForParent(String parentId) {
        return all("ListAccountsForParent", Map.of("ParentId", parentId), "Accounts");
    }

    Map<String, String> listTagsForResource(String resourceId) {
        Map<String, String> tags = new LinkedHashMap<>();
        // ListTagsForResource takes no MaxResults, only NextToken.
        pages("ListTagsForResource", Map.of("ResourceId", resourceId), false, page -> page.get("Tags")
                .forEach(tag -> tags.put(tag.get("Key").asString(), tag.get("Value").asString())));
        return tags;
    }

    private List<JsonNode> all(String operation, Map<String, Object> request, String field) {
        List<JsonNode> items = new ArrayList<>();
        pages(operation, request, true, page -> {
            JsonNode list = page.get(field);
            if (list != null) {
                list.forEach(items::add);
            }
        });
        return items;
    }

    /** Organizations may answer a page with fewer items than asked, even none, and a NextToken: follow it to the end. */
    private void pages(String operation, Map<String, Object> request, boolean sized, Consumer<JsonNode> page) {
        String token = null;
        do {
            Map<String, Object> body = new LinkedHashMap<>(request);
            if (sized) {
                body.put("MaxResults", PAGE_SIZE);
            }
            if (token != null) {
                body.put("NextToken", token);
            }
            JsonNode answer = call(operation, body);
            page.accept(answer);
            JsonNode next = answer.get("NextToken");
            token = next == null || next.isNull() ? null : next.asString();
        } while (token != null);
    }

    private JsonNode call(String operation, Map<String, Object> request) {
        byte[] body = JSON.writeValueAsBytes(request);
        for (int attempt = 1; ; attempt++) {
            pace();
            calls++;
            try {
                return send(operation, body);
            } catch (OrganizationsException e) {
                if (e.throttled()) {
                    throttled++;
                }
                if (!e.transientFailure() || attempt >= properties.throttledAttempts()) {
                    throw e;
                }
                sleep(backoff(attempt));
            }
        }
    }

    private JsonNode send(String operation, byte[] body) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", TARGET_PREFIX + operation)
                .build();
        AwsCredentials identity = credentials.resolveCredentials();
        SignedRequest signed = signer.sign(r -> r.identity(identity).request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
                .putProperty(AwsV4HttpSigner.REGION_NAME, SIGNING_REGION));
        HttpExecuteResponse response;
        byte[] answer;
        try {
            response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
                answer = in.readAllBytes();
            }
        } catch (IOException e) {
            throw new OrganizationsException("ConnectionFailure", 0, "AWS Organizations could not be reached: " + e);
        }
        int status = response.httpResponse().statusCode();
        JsonNode json = answer.length == 0 ? JSON.createObjectNode() : JSON.readTree(answer);
        if (status / 100 != 2) {
            throw new OrganizationsException(errorCode(json, response), status, errorMessage(json));
        }
        return json;
    }

    /** JSON 1.1 names the error in {@code __type}, sometimes prefixed with a namespace and '#'. */
    private static String errorCode(JsonNode json, HttpExecuteResponse response) {
        String type = text(json, "__type");
        if (type == null) {
            type = response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse("UnknownError");
        }
        int hash = type.lastIndexOf('#');
        int colon = type.indexOf(':');
        return type.substring(hash + 1, colon > hash ? colon : type.length());
    }

    private static String errorMessage(JsonNode json) {
        String message = text(json, "Message");
        return message != null ? message : String.valueOf(text(json, "message"));
    }

    private static @Nullable String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private Duration backoff(int attempt) {
        long ceiling = Math.min(properties.maxBackoff().toMillis(),
                properties.backoff().toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    private void pace() {
        long wait = nextCallAt - System.nanoTime();
        if (wait > 0) {
            sleep(Duration.ofNanos(wait));
        }
        nextCallAt = Math.max(nextCallAt, System.nanoTime()) + intervalNanos;
    }

    private static void sleep(Duration duration) {
        try {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrganizationsException("Interrupted", 0, "the sync was interrupted");
        }
    }
}
