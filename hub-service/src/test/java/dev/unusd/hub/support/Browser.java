package dev.unusd.hub.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The dashboard over plain HTTP, as a browser without JavaScript sees it: a cookie jar, no redirects followed (tests
 * look at them), and forms posted with the CSRF token of the page they came from.
 */
public final class Browser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    private final String base;
    private final CookieManager cookies;
    private final HttpClient http;

    public Browser(String base) {
        this(base, new CookieManager());
    }

    private Browser(String base, CookieManager cookies) {
        this.base = base;
        this.cookies = cookies;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The same browser (its cookies) on another address, e.g. another hub instance behind the same name. */
    public Browser at(String otherBase) {
        return new Browser(otherBase, cookies);
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    /** A GET with an Accept header, e.g. a browser's {@code text/html,...}. */
    public HttpResponse<String> get(String path, String accept) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).GET().build());
    }

    /** Posts a form with the CSRF token found on {@code page}. */
    public HttpResponse<String> submit(String page, String action, Map<String, String> fields) {
        Map<String, String> body = new LinkedHashMap<>(fields);
        body.put("_csrf", csrf(get(page).body()));
        return post(action, body);
    }

    public HttpResponse<String> post(String path, Map<String, String> fields) {
        return send(form(path, fields).build());
    }

    /** A form posted with an Accept header, without a CSRF token unless {@code fields} has one. */
    public HttpResponse<String> post(String path, Map<String, String> fields, String accept) {
        return send(form(path, fields).header("Accept", accept).build());
    }

    private HttpRequest.Builder form(String path, Map<String, String> fields) {
        String form = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
    }

    /** Signs in with a tenant API key; the answer is the sign-in's redirect. */
    public HttpResponse<String> signIn(String apiKey) {
        return submit("/sign-in", "/sign-in", Map.of("apiKey", apiKey));
    }

    public static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no CSRF token in the page");
        }
        return m.group(1);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
