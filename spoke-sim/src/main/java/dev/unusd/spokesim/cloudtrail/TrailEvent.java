package dev.unusd.spokesim.cloudtrail;

import java.time.Instant;
import java.util.Map;

import dev.unusd.spokesim.sts.Principal;

/**
 * One CloudTrail management event. The CloudTrailEvent JSON document is built only when a lookup returns the event,
 * since most events of a big organisation are never looked up.
 */
public record TrailEvent(
        long sequence,
        String eventId,
        Instant time,
        String eventName,
        boolean readOnly,
        Principal principal,
        String accessKeyId,
        String region,
        String keyArn,
        Map<String, Object> requestParameters,
        String errorCode,
        String errorMessage,
        String requestId) {

    public static final String KMS_SOURCE = "kms.amazonaws.com";
    public static final String KEY_RESOURCE_TYPE = "AWS::KMS::Key";

    public String eventSource() {
        return KMS_SOURCE;
    }

    boolean succeeded() {
        return errorCode == null;
    }
}
