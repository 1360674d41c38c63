package dev.unusd.hub.rule;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** AWS CLI commands a finding offers (aws-facts.md, "CLI remediation"), filled in with the key and region. */
final class Remediation {

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=+@-]+");

    private Remediation() {
    }

    static String enableRotation(String keyId, String region, int periodDays) {
        return "aws kms enable-key-rotation --key-id " + keyId + " --rotation-period-in-days " + periodDays
                + " --region " + region;
    }

    static String disable(String keyId, String region) {
        return "aws kms disable-key --key-id " + keyId + " --region " + region;
    }

    static String scheduleDeletion(String keyId, String region) {
        return "aws kms schedule-key-deletion --key-id " + keyId + " --pending-window-in-days 30 --region " + region;
    }

    /**
     * Lists the calls on the key since {@code since} that KMS refused because the key is disabled: what to check before
     * deleting a disabled key (any such call is a consumer that still needs it).
     */
    static String refusedCalls(String arn, String region, Instant since) {
        return "aws cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue=" + arn
                + " --start-time " + since.truncatedTo(ChronoUnit.SECONDS) + " --region " + region
                + " --query \"Events[?contains(CloudTrailEvent, 'DisabledException')].[EventTime,EventName,EventId]\""
                + " --output text";
    }

    static String cancelDeletion(String keyId, String region) {
        return "aws kms cancel-key-deletion --key-id " + keyId + " --region " + region;
    }

    static String enable(String keyId, String region) {
        return "aws kms enable-key --key-id " + keyId + " --region " + region;
    }

    static String exempt(String keyId, String region, RuleSettings settings) {
        return "aws kms tag-resource --key-id " + keyId + " --tags " + quote("TagKey=" + settings.exemptTagKey() + ",TagValue="
                + settings.exemptTagValue()) + " --region " + region;
    }

    /** Saves the key policy as it is, to edit by hand or to restore. */
    static String getKeyPolicy(String keyId, String region) {
        return "aws kms get-key-policy --key-id " + keyId + " --policy-name default --query Policy --output text"
                + " --region " + region + " > policy.json";
    }

    /** Replaces the key policy with {@code policy} (JSON, quoted for a POSIX shell). */
    static String putKeyPolicy(String keyId, String region, String policy) {
        return "aws kms put-key-policy --key-id " + keyId + " --policy-name default --policy '"
                + policy.replace("'", "'\\''") + "' --region " + region;
    }

    static String revokeGrant(String keyId, String region, String grantId) {
        return "aws kms revoke-grant --key-id " + keyId + " --grant-id " + quote(grantId) + " --region " + region;
    }

    /** Tag keys and values are the tenant's: quote them when a shell would read them otherwise. */
    private static String quote(String argument) {
        return SHELL_SAFE.matcher(argument.replace(",", "")).matches() ? argument
                : "'" + argument.replace("'", "'\\''") + "'";
    }
}
