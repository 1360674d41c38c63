package dev.unusd.hub.aws;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every IAM action the hub calls in a spoke account, in the order verification checks them. The spoke-role template
 * must grant exactly these (SpokeRoleParityUnitTest): a call missing here would fail in customers' accounts, an extra
 * grant there would be a permission we ask for and never use.
 */
public enum SpokeAction {
    LIST_KEYS("kms", "ListKeys", 500),
    LIST_ALIASES("kms", "ListAliases", 500),
    DESCRIBE_KEY("kms", "DescribeKey", 2000),
    GET_KEY_ROTATION_STATUS("kms", "GetKeyRotationStatus", 1000),
    LIST_RESOURCE_TAGS("kms", "ListResourceTags", 2000),
    LIST_KEY_ROTATIONS("kms", "ListKeyRotations", 100),
    GET_KEY_LAST_USAGE("kms", "GetKeyLastUsage", 5),
    GET_KEY_POLICY("kms", "GetKeyPolicy", 1000),
    LIST_GRANTS("kms", "ListGrants", 100),
    LOOKUP_EVENTS("cloudtrail", "LookupEvents", 2);

    private final String service;
    private final String operation;
    private final double defaultQuota;

    SpokeAction(String service, String operation, double defaultQuota) {
        this.service = service;
        this.operation = operation;
        this.defaultQuota = defaultQuota;
    }

    /** The IAM action, e.g. {@code kms:ListKeys}. */
    public String iamAction() {
        return service + ":" + operation;
    }

    /** The service as the SDK's metrics name it (CoreMetric.SERVICE_ID). */
    String sdkServiceId() {
        return service.equals("kms") ? "KMS" : "CloudTrail";
    }

    /** The API operation name, as quotas and configuration name it. */
    public String operation() {
        return operation;
    }

    /** Requests per second per account and region that AWS allows by default (aws-facts.md); adjustable by AWS. */
    public double defaultQuota() {
        return defaultQuota;
    }

    public static Set<String> iamActions() {
        return Arrays.stream(values()).map(SpokeAction::iamAction).collect(Collectors.toUnmodifiableSet());
    }
}
