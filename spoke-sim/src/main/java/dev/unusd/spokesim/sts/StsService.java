package dev.unusd.spokesim.sts;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.unusd.spokesim.organisation.Organisation;
import dev.unusd.spokesim.organisation.SimRole;
import dev.unusd.spokesim.wire.AwsError;
import dev.unusd.spokesim.wire.Caller;

/** STS over the Query protocol (form-encoded Action=..., XML answers): AssumeRole and GetCallerIdentity. */
public final class StsService {

    private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::(\\d{12}):role/(?:[\\w+=,.@/-]*/)?([\\w+=,.@-]+)");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final int MIN_SESSION_SECONDS = 900;

    private final Organisation organisation;
    private final Sessions sessions;

    public StsService(Organisation organisation, Sessions sessions) {
        this.organisation = organisation;
        this.sessions = sessions;
    }

    public String call(String action, Map<String, String> form, Caller caller, Instant now, String requestId) {
        return switch (action) {
            case "AssumeRole" -> assumeRole(form, caller, now, requestId);
            case "GetCallerIdentity" -> getCallerIdentity(caller, requestId);
            default -> throw new AwsError("InvalidAction", 400, "Could not find operation " + action
                    + " for version 2011-06-15");
        };
    }

    private String assumeRole(Map<String, String> form, Caller caller, Instant now, String requestId) {
        String roleArn = form.get("RoleArn");
        String sessionName = form.get("RoleSessionName");
        if (roleArn == null || roleArn.length() < 20) {
            throw validation("1 validation error detected: Value '" + roleArn
                    + "' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20");
        }
        if (sessionName == null || !SESSION_NAME.matcher(sessionName).matches()) {
            throw validation("1 validation error detected: Value '" + sessionName + "' at 'roleSessionName' failed to "
                    + "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        int duration = form.containsKey("DurationSeconds") ? Integer.parseInt(form.get("DurationSeconds")) : 3600;
        if (duration < MIN_SESSION_SECONDS) {
            throw validation("1 validation error detected: Value '" + duration + "' at 'durationSeconds' failed to "
                    + "satisfy constraint: Member must have value greater than or equal to 900");
        }
        Matcher arn = ROLE_ARN.matcher(roleArn);
        // Missing account, missing role, undeployed trust and a wrong ExternalId all look the same to the caller.
        AwsError denied = new AwsError("AccessDenied", 403, "User: " + caller.principal().arn()
                + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
        if (!arn.matches()) {
            throw validation("Invalid RoleArn: " + roleArn);
        }
        String accountId = arn.group(1);
        String roleName = arn.group(2);
        Optional<SimRole> role = organisation.findAccount(accountId).flatMap(a -> a.role(roleName));
        if (role.isEmpty() || !role.get().trusts(form.get("ExternalId"))) {
            throw denied;
        }
        if (duration > SimRole.MAX_SESSION_SECONDS) {
            throw validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        Principal principal = Principal.assumedRole(accountId, roleName, sessionName);
        Sessions.Session session = sessions.issue(principal, now.plusSeconds(duration).truncatedTo(ChronoUnit.SECONDS));
        return "<AssumeRoleResponse xmlns=\"" + NAMESPACE + "\">"
                + "<AssumeRoleResult>"
                + "<Credentials>"
                + element("AccessKeyId", session.accessKeyId())
                + element("SecretAccessKey", session.secretAccessKey())
                + element("SessionToken", session.sessionToken())
                + element("Expiration", session.expiration().toString())
                + "</Credentials>"
                + "<AssumedRoleUser>"
                + element("AssumedRoleId", principal.principalId())
                + element("Arn", organisation.findAccount(accountId)
                        .map(a -> Principal.assumedRole(a.sessionAccount(), roleName, sessionName).arn())
                        .orElse(principal.arn()))
                + "</AssumedRoleUser>"
                + "</AssumeRoleResult>"
                + metadata(requestId)
                + "</AssumeRoleResponse>";
    }

    private String getCallerIdentity(Caller caller, String requestId) {
        Principal principal = caller.principal();
        return "<GetCallerIdentityResponse xmlns=\"" + NAMESPACE + "\">"
                + "<GetCallerIdentityResult>"
                + element("Arn", principal.arn())
                + element("UserId", principal.principalId())
                + element("Account", principal.accountId())
                + "</GetCallerIdentityResult>"
                + metadata(requestId)
                + "</GetCallerIdentityResponse>";
    }

    public static String error(AwsError error, String requestId) {
        return "<ErrorResponse xmlns=\"" + NAMESPACE + "\">"
                + "<Error>"
                + element("Type", error.serverFault() ? "Receiver" : "Sender")
                + element("Code", error.code())
                + element("Message", error.getMessage())
                + "</Error>"
                + element("RequestId", requestId)
                + "</ErrorResponse>";
    }

    private static AwsError validation(String message) {
        return new AwsError("ValidationError", 400, message);
    }

    private static String metadata(String requestId) {
        return "<ResponseMetadata>" + element("RequestId", requestId) + "</ResponseMetadata>";
    }

    private static String element(String name, String value) {
        return "<" + name + ">" + escape(value) + "</" + name + ">";
    }

    private static String escape(String value) {
        if (value == null) {
            return "";
        }
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
