package dev.unusd.spokesim.cloudtrail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import dev.unusd.spokesim.sts.Principal;
import dev.unusd.spokesim.wire.AwsError;
import dev.unusd.spokesim.wire.CallContext;
import dev.unusd.spokesim.wire.WireJson;

/** CloudTrail LookupEvents over JSON 1.1: event history of the last 90 days, one lookup attribute, newest first. */
public final class CloudTrailService {

    public static final String TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";

    /** The one EventCategory: Insights events, which LookupEvents returns only when asked for them. */
    private static final String INSIGHT = "insight";
    private static final Set<String> ATTRIBUTE_KEYS = Set.of("EventId", "EventName", "ReadOnly", "Username",
            "ResourceType", "ResourceName", "EventSource", "AccessKeyId");

    public Map<String, Object> call(String operation, Map<String, Object> request, CallContext call) {
        if (!operation.equals("LookupEvents")) {
            throw AwsError.client("UnknownOperationException", "The simulator does not implement " + operation);
        }
        return lookupEvents(request, call);
    }

    private Map<String, Object> lookupEvents(Map<String, Object> request, CallContext call) {
        call.authorize("cloudtrail:LookupEvents", "*");
        if (call.region().cloudTrailDenied()) {
            throw AwsError.accessDenied("User: " + call.caller().principal().arn()
                    + " is not authorized to perform: cloudtrail:LookupEvents with an explicit deny in a service control policy");
        }
        List<Map<String, Object>> attributes = WireJson.list(request, "LookupAttributes");
        if (attributes.size() > 1) {
            throw AwsError.client("InvalidLookupAttributesException", "You can only specify one lookup attribute.");
        }
        String attributeKey = attributes.isEmpty() ? null : WireJson.string(attributes.get(0), "AttributeKey");
        String attributeValue = attributes.isEmpty() ? null : WireJson.string(attributes.get(0), "AttributeValue");
        if (!attributes.isEmpty() && (!ATTRIBUTE_KEYS.contains(attributeKey) || attributeValue == null
                || attributeValue.isEmpty())) {
            throw AwsError.client("InvalidLookupAttributesException",
                    "Lookup attribute key " + attributeKey + " or its value is not valid.");
        }
        Instant requestedStart = WireJson.instant(request, "StartTime");
        Instant requestedEnd = WireJson.instant(request, "EndTime");
        Instant historyStart = call.now().minus(EventLog.HISTORY);
        Instant start = requestedStart == null || requestedStart.isBefore(historyStart) ? historyStart : requestedStart;
        Instant end = requestedEnd == null ? call.now() : requestedEnd;
        if (requestedStart != null && requestedEnd != null && requestedStart.isAfter(requestedEnd)) {
            throw AwsError.client("InvalidTimeRangeException", "Start time must be earlier than end time.");
        }
        Integer maxResults = WireJson.integer(request, "MaxResults");
        int limit = maxResults == null ? 50 : maxResults;
        if (limit < 1 || limit > 50) {
            throw AwsError.client("InvalidMaxResultsException", "MaxResults must be between 1 and 50.");
        }
        String category = WireJson.string(request, "EventCategory");
        if (category != null && !category.equals(INSIGHT)) {
            throw AwsError.client("InvalidEventCategoryException",
                    "Event category " + category + " is not valid. The only valid value is " + INSIGHT + ".");
        }
        String parameters = attributeKey + "=" + attributeValue + "|" + requestedStart + "|" + requestedEnd + "|"
                + category;
        Cursor after = Cursor.decode(WireJson.string(request, "NextToken"), parameters);
        if (INSIGHT.equals(category)) {
            // Only Insights events are returned then, and a simulated account has none.
            return Map.of("Events", List.of());
        }

        String keyArn = "ResourceName".equals(attributeKey) ? attributeValue : null;
        List<TrailEvent> found = call.region().events().find(keyArn, start, end, matching(attributeKey, attributeValue));
        List<Map<String, Object>> events = new ArrayList<>();
        TrailEvent last = null;
        boolean more = false;
        for (TrailEvent event : found) {
            if (after != null && !after.isBefore(event)) {
                continue;
            }
            if (events.size() == limit) {
                more = true;
                break;
            }
            events.add(event(event, call.account().id()));
            last = event;
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("Events", events);
        if (more) {
            response.put("NextToken", new Cursor(parameters, last.time(), last.sequence()).encode());
        }
        return response;
    }

    private static Predicate<TrailEvent> matching(String key, String value) {
        if (key == null) {
            return e -> true;
        }
        return switch (key) {
            case "EventId" -> e -> e.eventId().equals(value);
            case "EventName" -> e -> e.eventName().equals(value);
            case "ReadOnly" -> e -> String.valueOf(e.readOnly()).equals(value);
            case "Username" -> e -> value.equals(e.principal().userName());
            case "ResourceType" -> e -> e.keyArn() != null && TrailEvent.KEY_RESOURCE_TYPE.equals(value);
            case "ResourceName" -> e -> value.equals(e.keyArn());
            case "EventSource" -> e -> e.eventSource().equals(value);
            case "AccessKeyId" -> e -> Objects.equals(e.accessKeyId(), value);
            default -> e -> false;
        };
    }

    private static Map<String, Object> event(TrailEvent e, String accountId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("EventId", e.eventId());
        event.put("EventName", e.eventName());
        event.put("ReadOnly", String.valueOf(e.readOnly()));
        if (e.accessKeyId() != null) {
            event.put("AccessKeyId", e.accessKeyId());
        }
        event.put("EventTime", WireJson.epochSeconds(e.time()));
        event.put("EventSource", e.eventSource());
        if (e.principal().userName() != null) {
            event.put("Username", e.principal().userName());
        }
        event.put("Resources", e.keyArn() == null ? List.of()
                : List.of(Map.of("ResourceType", TrailEvent.KEY_RESOURCE_TYPE, "ResourceName", e.keyArn())));
        event.put("CloudTrailEvent", new String(WireJson.write(cloudTrailEvent(e, accountId)), StandardCharsets.UTF_8));
        return event;
    }

    /** The record as CloudTrail stores it (eventVersion 1.08), serialised into the CloudTrailEvent string. */
    private static Map<String, Object> cloudTrailEvent(TrailEvent e, String accountId) {
        Principal p = e.principal();
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("type", p.type());
        if (p.awsService()) {
            identity.put("invokedBy", p.principalId());
            return record(e, accountId, identity, "AwsServiceEvent");
        }
        identity.put("principalId", p.principalId());
        identity.put("arn", p.arn());
        identity.put("accountId", p.accountId());
        identity.put("accessKeyId", e.accessKeyId());
        if (p.assumedRole()) {
            identity.put("sessionContext", Map.of(
                    "sessionIssuer", Map.of("type", "Role", "principalId", Principal.roleId(p.accountId(), p.roleName()),
                            "arn", p.roleArn(), "accountId", p.accountId(), "userName", p.roleName()),
                    "attributes", Map.of("creationDate", e.time().minusSeconds(60).toString(),
                            "mfaAuthenticated", "false")));
        } else {
            identity.put("userName", p.userName());
        }
        return record(e, accountId, identity, "AwsApiCall");
    }

    private static Map<String, Object> record(TrailEvent e, String accountId, Map<String, Object> identity,
            String eventType) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventVersion", "1.08");
        record.put("userIdentity", identity);
        record.put("eventTime", e.time().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        record.put("eventSource", e.eventSource());
        record.put("eventName", e.eventName());
        record.put("awsRegion", e.region());
        boolean service = "AwsServiceEvent".equals(eventType);
        record.put("sourceIPAddress", service ? e.eventSource() : "10.0.0.1");
        record.put("userAgent", service ? e.eventSource() : "aws-sdk-java/2");
        if (e.errorCode() != null) {
            record.put("errorCode", e.errorCode());
            record.put("errorMessage", e.errorMessage());
        }
        record.put("requestParameters", e.requestParameters());
        record.put("responseElements", null);
        record.put("requestID", e.requestId());
        record.put("eventID", e.eventId());
        record.put("readOnly", e.readOnly());
        if (e.keyArn() != null) {
            record.put("resources", List.of(Map.of("accountId", accountId, "type", TrailEvent.KEY_RESOURCE_TYPE,
                    "ARN", e.keyArn())));
        }
        record.put("eventType", eventType);
        record.put("managementEvent", true);
        record.put("recipientAccountId", accountId);
        record.put("eventCategory", "Management");
        return record;
    }

    /** Where the previous page stopped, bound to the parameters it was asked with. */
    private record Cursor(String parameters, Instant time, long sequence) {

        boolean isBefore(TrailEvent event) {
            return EventLog.NEWEST_FIRST.compare(probe(), event) < 0;
        }

        private TrailEvent probe() {
            return new TrailEvent(sequence, "", time, "", true, null, null, null, null, null, null, null, null);
        }

        String encode() {
            String text = parameters.hashCode() + "|" + time.toEpochMilli() + "|" + time.getNano() + "|" + sequence;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token, String parameters) {
            if (token == null) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|");
                if (parts.length != 4 || Integer.parseInt(parts[0]) != parameters.hashCode()) {
                    throw invalid();
                }
                Instant time = Instant.ofEpochMilli(Long.parseLong(parts[1]))
                        .plusNanos(Integer.parseInt(parts[2]) % 1_000_000);
                return new Cursor(parameters, time, Long.parseLong(parts[3]));
            } catch (IllegalArgumentException e) {
                throw invalid();
            }
        }

        private static AwsError invalid() {
            return AwsError.client("InvalidNextTokenException", "Invalid NextToken: it must come with the same parameters.");
        }
    }
}
