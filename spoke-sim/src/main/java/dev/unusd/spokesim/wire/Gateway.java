package dev.unusd.spokesim.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import dev.unusd.spokesim.cloudtrail.CloudTrailService;
import dev.unusd.spokesim.kms.KmsService;
import dev.unusd.spokesim.organisation.Organisation;
import dev.unusd.spokesim.organisation.SimAccount;
import dev.unusd.spokesim.organisation.SimClock;
import dev.unusd.spokesim.organizations.Organizations;
import dev.unusd.spokesim.organizations.OrganizationsService;
import dev.unusd.spokesim.sts.Principal;
import dev.unusd.spokesim.sts.Sessions;
import dev.unusd.spokesim.sts.StsService;

/**
 * The one port every service answers on. Routes like AWS front ends do (X-Amz-Target for JSON services, Action= for
 * the Query protocol), then applies what every real call goes through: credentials, region, latency, quota, injected
 * faults, counting.
 */
public final class Gateway implements HttpHandler {

    private static final String UNKNOWN_ACCOUNT = "unknown";
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final Pattern ROLE_ACCOUNT = Pattern.compile("arn:aws:iam::(\\d{12}):role/");

    private final Organisation organisation;
    private final Sessions sessions;
    private final Quotas quotas;
    private final Counters counters;
    private final ServerFaults serverFaults;
    private final SimClock clock;
    private final KmsService kms;
    private final CloudTrailService cloudTrail;
    private final StsService sts;
    private final OrganizationsService organizations;
    private final HttpHandler controlPlane;

    public Gateway(Organisation organisation, Sessions sessions, Quotas quotas, Counters counters, ServerFaults serverFaults,
            SimClock clock, Organizations organizations, HttpHandler controlPlane) {
        this.organisation = organisation;
        this.sessions = sessions;
        this.quotas = quotas;
        this.counters = counters;
        this.serverFaults = serverFaults;
        this.clock = clock;
        this.kms = new KmsService(organisation);
        this.cloudTrail = new CloudTrailService();
        this.sts = new StsService(organisation, sessions);
        this.organizations = new OrganizationsService(organizations);
        this.controlPlane = controlPlane;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (exchange.getRequestURI().getPath().startsWith("/_sim/")) {
                controlPlane.handle(exchange);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target != null && target.startsWith(KmsService.TARGET_PREFIX)) {
                json(exchange, "kms", target.substring(KmsService.TARGET_PREFIX.length()), body);
            } else if (target != null && target.startsWith(CloudTrailService.TARGET_PREFIX)) {
                json(exchange, "cloudtrail", target.substring(CloudTrailService.TARGET_PREFIX.length()), body);
            } else if (target != null && target.startsWith(OrganizationsService.TARGET_PREFIX)) {
                organizations(exchange, target.substring(OrganizationsService.TARGET_PREFIX.length()), body);
            } else {
                query(exchange, body);
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "text/plain", ("simulator failure: " + e).getBytes(StandardCharsets.UTF_8), null);
        } finally {
            exchange.close();
        }
    }

    private void json(HttpExchange exchange, String service, String operation, byte[] body) throws IOException {
        String requestId = RandomIds.uuid();
        Scope scope = Scope.of(exchange.getRequestHeaders().getFirst("Authorization"));
        String accountId = UNKNOWN_ACCOUNT;
        byte[] answer;
        int status = 200;
        AwsError failure = null;
        try {
            Instant now = clock.now();
            Caller caller = authenticate(scope, now, false);
            accountId = caller.accountId();
            if (serverFaults.unsupportedNow(accountId, operation)) {
                throw AwsError.client("UnknownOperationException", "The simulator does not implement " + operation);
            }
            SimAccount account = organisation.account(accountId);
            delay(account);
            if (!account.regionEnabled(scope.region())) {
                throw AwsError.unrecognizedClient();
            }
            if (serverFaults.throttledNow(accountId, operation)
                    || !quotas.tryAcquire(accountId, scope.region(), operation)) {
                throw AwsError.throttled();
            }
            if (serverFaults.failNow(accountId, operation)) {
                throw service.equals("kms") ? new AwsError("KMSInternalException", 500, "An internal error occurred.")
                        : new AwsError("InternalFailure", 500, "The request processing has failed because of an "
                                + "unknown error, exception or failure.");
            }
            Map<String, Object> request = WireJson.read(body);
            CallContext call = new CallContext(caller, account, account.region(scope.region()), requestId, now);
            call.region().completeDeletions(now);
            Map<String, Object> response = service.equals("kms") ? kms.call(operation, request, call)
                    : cloudTrail.call(operation, request, call);
            answer = WireJson.write(response);
        } catch (AwsError error) {
            failure = error;
            status = error.status();
            Map<String, Object> errorBody = new HashMap<>();
            errorBody.put("__type", error.code());
            errorBody.put("message", error.getMessage());
            answer = WireJson.write(errorBody);
        }
        count(accountId, scope.region(), operation, failure);
        send(exchange, status, JSON_11, answer, requestId);
    }

    /**
     * Organizations is global (signed for us-east-1) and has no region to enable. Its errors carry {@code Message}
     * (capital M), and throttling is TooManyRequestsException.
     */
    private void organizations(HttpExchange exchange, String operation, byte[] body) throws IOException {
        String requestId = RandomIds.uuid();
        Scope scope = Scope.of(exchange.getRequestHeaders().getFirst("Authorization"));
        String accountId = UNKNOWN_ACCOUNT;
        byte[] answer;
        int status = 200;
        AwsError failure = null;
        try {
            Instant now = clock.now();
            Caller caller = authenticate(scope, now, false);
            accountId = caller.accountId();
            SimAccount account = organisation.account(accountId);
            delay(account);
            if (serverFaults.throttledNow(accountId, operation)
                    || !quotas.tryAcquire(accountId, scope.region(), operation)) {
                throw new AwsError("TooManyRequestsException", 400, "You have sent too many requests in too short a"
                        + " period of time. The quota helps protect against denial-of-service attacks. Try again"
                        + " later.");
            }
            if (serverFaults.failNow(accountId, operation)) {
                throw new AwsError("ServiceException", 500, "AWS Organizations can't complete your request because"
                        + " of an internal service error. Try again later.");
            }
            CallContext call = new CallContext(caller, account, account.region(scope.region()), requestId, now);
            answer = WireJson.write(organizations.call(operation, WireJson.read(body), call));
        } catch (AwsError error) {
            failure = error;
            status = error.status();
            Map<String, Object> errorBody = new HashMap<>();
            errorBody.put("__type", error.code());
            errorBody.put("Message", error.getMessage());
            if (error instanceof OrganizationsService.OrganizationsError invalid) {
                errorBody.put("Reason", invalid.reason());
            }
            answer = WireJson.write(errorBody);
        }
        count(accountId, scope.region(), operation, failure);
        send(exchange, status, JSON_11, answer, requestId);
    }

    private void query(HttpExchange exchange, byte[] body) throws IOException {
        String requestId = RandomIds.uuid();
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            form.putAll(form(query));
        }
        String action = form.getOrDefault("Action", "Unknown");
        Scope scope = Scope.of(exchange.getRequestHeaders().getFirst("Authorization"));
        String accountId = UNKNOWN_ACCOUNT;
        String answer;
        int status = 200;
        AwsError failure = null;
        try {
            Instant now = clock.now();
            Caller caller = authenticate(scope, now, true);
            accountId = caller.accountId();
            organisation.findAccount(accountId).ifPresent(this::delay);
            String faultAccount = faultAccount(action, form, accountId);
            if (serverFaults.throttledNow(faultAccount, action)
                    || !quotas.tryAcquire(accountId, scope.region(), action)) {
                throw new AwsError("Throttling", 400, "Rate exceeded");
            }
            if (serverFaults.failNow(faultAccount, action)) {
                throw new AwsError("InternalFailure", 500, "An internal error has occurred.");
            }
            answer = sts.call(action, form, caller, now, requestId);
        } catch (AwsError error) {
            failure = error;
            status = error.status();
            answer = StsService.error(error, requestId);
        }
        count(accountId, scope.region(), action, failure);
        send(exchange, status, "text/xml", answer.getBytes(StandardCharsets.UTF_8), requestId);
    }

    /**
     * The account whose faults apply to an STS call: for AssumeRole the account of the role, so a test can fail the
     * hub's way into one spoke account; otherwise the caller's.
     */
    private static String faultAccount(String action, Map<String, String> form, String callerAccountId) {
        String roleArn = form.get("RoleArn");
        if (action.equals("AssumeRole") && roleArn != null) {
            Matcher arn = ROLE_ACCOUNT.matcher(roleArn);
            if (arn.lookingAt()) {
                return arn.group(1);
            }
        }
        return callerAccountId;
    }

    /**
     * Session credentials from AssumeRole, or AKIAOWNER + account id for the account's administrator. STS accepts any
     * other key as the hub's own identity, since the hub signs AssumeRole with credentials we never issued.
     */
    private Caller authenticate(Scope scope, Instant now, boolean sts) {
        String accessKeyId = scope.accessKeyId();
        if (accessKeyId == null) {
            throw new AwsError("MissingAuthenticationTokenException", 400, "Missing Authentication Token");
        }
        if (accessKeyId.startsWith(Principal.OWNER_KEY_PREFIX)) {
            String accountId = accessKeyId.substring(Principal.OWNER_KEY_PREFIX.length());
            if (organisation.findAccount(accountId).isPresent()) {
                return new Caller(Principal.owner(accountId), accessKeyId, true);
            }
        }
        var session = sessions.find(accessKeyId);
        if (session.isPresent()) {
            if (!now.isBefore(session.get().expiration())) {
                throw AwsError.client("ExpiredTokenException", "The security token included in the request is expired");
            }
            return new Caller(session.get().principal(), accessKeyId, false);
        }
        if (sts) {
            return new Caller(Principal.hub(organisation.hubAccountId()), accessKeyId, false);
        }
        throw AwsError.unrecognizedClient();
    }

    private void delay(SimAccount account) {
        long ms = serverFaults.latencyMs() + account.latencyMs();
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void count(String accountId, String region, String operation, AwsError failure) {
        counters.call(accountId, region, operation);
        if (failure == null) {
            return;
        }
        if (failure.code().equals("ThrottlingException") || failure.code().equals("Throttling")
                || failure.code().equals("TooManyRequestsException")) {
            counters.throttled(accountId, region, operation);
        } else {
            counters.error(accountId, region, operation, failure.code());
        }
    }

    public static void send(HttpExchange exchange, int status, String contentType, byte[] body, String requestId)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (requestId != null) {
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> form = new HashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        return form;
    }

    /** The SigV4 credential scope: Credential=AKID/20261128/us-east-1/kms/aws4_request. Signatures are not checked. */
    record Scope(String accessKeyId, String region) {

        static Scope of(String authorization) {
            if (authorization == null) {
                return new Scope(null, "us-east-1");
            }
            int at = authorization.indexOf("Credential=");
            if (at < 0) {
                return new Scope(null, "us-east-1");
            }
            int end = authorization.indexOf(',', at);
            String[] credential = authorization.substring(at + "Credential=".length(), end < 0 ? authorization.length() : end)
                    .trim().split("/");
            return new Scope(credential[0], credential.length > 2 ? credential[2] : "us-east-1");
        }
    }
}
