package dev.unusd.spokesim;

import java.time.Instant;
import java.util.Map;

/**
 * One CloudTrail management event. The CloudTrailEvent JSON document is built only when a lookup returns the event,
 * since most events of a big organisation are never looked up.
 */
record TrailEvent(
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

    static final String KMS_SOURCE = "kms.amazonaws.com";
    static final String KEY_RESOURCE_TYPE = "AWS::KMS::Key";

    String eventSource() {
        return KMS_SOURCE;
    }

    boolean succeeded() {
        return errorCode == null;
    }
}
