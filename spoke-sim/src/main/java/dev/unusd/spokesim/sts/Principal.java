package dev.unusd.spokesim.sts;

/** Who makes a call, as STS GetCallerIdentity and CloudTrail's userIdentity describe it. */
public record Principal(String type, String accountId, String arn, String principalId, String userName, String roleName) {

    public static final String OWNER_KEY_PREFIX = "AKIAOWNER";
    private static final String AWS_SERVICE = "AWSService";

    /** The account's administrator: tests sign with AKIAOWNER + account id to use keys. */
    public static Principal owner(String accountId) {
        return new Principal("IAMUser", accountId, "arn:aws:iam::" + accountId + ":user/owner",
                "AIDAOWNER" + accountId, "owner", null);
    }

    public static Principal hub(String accountId) {
        return new Principal("IAMUser", accountId, "arn:aws:iam::" + accountId + ":user/unusd-hub",
                "AIDAHUB" + accountId, "unusd-hub", null);
    }

    public static Principal assumedRole(String accountId, String roleName, String sessionName) {
        return new Principal("AssumedRole", accountId,
                "arn:aws:sts::" + accountId + ":assumed-role/" + roleName + "/" + sessionName,
                roleId(accountId, roleName) + ":" + sessionName, sessionName, roleName);
    }

    /** The workload whose cryptographic calls fill a scenario's CloudTrail history. */
    public static Principal application(String accountId) {
        return assumedRole(accountId, "app-service", "i-0a1b2c3d4e5f60718");
    }

    /** The human whose console clicks are a scenario's noise events. */
    public static Principal administrator(String accountId) {
        return new Principal("IAMUser", accountId, "arn:aws:iam::" + accountId + ":user/admin",
                "AIDAADMIN" + accountId, "admin", null);
    }

    /**
     * An AWS service acting on its own, such as KMS deleting a key when its waiting period ends. Its principal id is
     * the service's name, which CloudTrail records as invokedBy.
     */
    public static Principal awsService(String accountId, String service) {
        return new Principal(AWS_SERVICE, accountId, null, service, null, null);
    }

    public boolean awsService() {
        return type.equals(AWS_SERVICE);
    }

    public boolean assumedRole() {
        return roleName != null;
    }

    public String roleArn() {
        return "arn:aws:iam::" + accountId + ":role/" + roleName;
    }

    public static String roleId(String accountId, String roleName) {
        // Stable per role, like IAM's unique ids; hex of a mixed hash keeps it cheap on the event-rendering path.
        long mixed = (accountId.hashCode() * 31L + roleName.hashCode()) * 0x9E3779B97F4A7C15L;
        return "AROA" + Long.toHexString(mixed | Long.MIN_VALUE).toUpperCase();
    }
}
