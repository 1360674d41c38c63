package dev.unusd.spokesim;

import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import tools.jackson.databind.json.JsonMapper;

/** CloudTrail lookups the tests repeat, and the CloudTrailEvent document parsed. */
final class TrailEvents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TrailEvents() {
    }

    static List<Event> lookup(CloudTrailClient cloudTrail, LookupAttributeKey key, String value) {
        return cloudTrail.lookupEventsPaginator(r -> r.lookupAttributes(a -> a.attributeKey(key).attributeValue(value)))
                .events().stream().toList();
    }

    static List<Event> onKey(CloudTrailClient cloudTrail, String keyArn) {
        return lookup(cloudTrail, LookupAttributeKey.RESOURCE_NAME, keyArn);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> document(Event event) {
        return JSON.readValue(event.cloudTrailEvent(), Map.class);
    }
}
