package dev.unusd.hub.access;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A principal as a key policy or grant names it. {@code account} is the 12-digit account it belongs to when its form
 * says so; {@code value} is what the policy wrote (or the ARN an account id stands for).
 */
public record Principal(Kind kind, String value, @Nullable String account) {

    public enum Kind {
        /** {@code "*"} or {@code {"AWS": "*"}}: any AWS principal, and anonymous callers. */
        ANYONE,
        /** An account: its 12-digit id or {@code arn:aws:iam::ID:root}; delegates to that account's IAM. */
        ACCOUNT,
        ROLE,
        USER,
        /** An assumed-role session ARN. */
        SESSION,
        /** An AWS service principal ({@code cloudtrail.amazonaws.com}): the service acting for its customers. */
        SERVICE,
        /**
         * A unique id (AROA..., AIDA...): IAM shows a principal this way once it was deleted. Nobody can use it; a
         * principal created later under the same name gets a new id.
         */
        DELETED,
        /** A form the model does not evaluate (federated, canonical user): its audience is unknown. */
        OTHER
    }

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern IAM_ARN = Pattern.compile("arn:aws[a-z-]*:(iam|sts)::(\\d{12}):(.+)");
    private static final Pattern UNIQUE_ID = Pattern.compile("A(ROA|IDA|GPA|IPA|NPA|NVA|SCA)[A-Z0-9]{12,}");

    public static final Principal ANYONE_PRINCIPAL = new Principal(Kind.ANYONE, "*", null);

    /** An {@code AWS} principal value; empty when it is none of IAM's forms. */
    static Optional<Principal> aws(String value) {
        if (value.equals("*")) {
            return Optional.of(ANYONE_PRINCIPAL);
        }
        if (ACCOUNT_ID.matcher(value).matches()) {
            return Optional.of(new Principal(Kind.ACCOUNT, "arn:aws:iam::" + value + ":root", value));
        }
        if (UNIQUE_ID.matcher(value).matches()) {
            return Optional.of(new Principal(Kind.DELETED, value, null));
        }
        Matcher arn = IAM_ARN.matcher(value);
        if (!arn.matches() || value.contains("*") || value.contains("?")) {
            return Optional.empty();
        }
        String account = arn.group(2);
        String resource = arn.group(3);
        if (arn.group(1).equals("sts")) {
            return resource.startsWith("assumed-role/") ? Optional.of(new Principal(Kind.SESSION, value, account))
                    : Optional.empty();
        }
        if (resource.equals("root")) {
            return Optional.of(new Principal(Kind.ACCOUNT, value, account));
        }
        if (resource.startsWith("role/")) {
            return Optional.of(new Principal(Kind.ROLE, value, account));
        }
        if (resource.startsWith("user/")) {
            return Optional.of(new Principal(Kind.USER, value, account));
        }
        return Optional.empty();
    }

    static Principal service(String name) {
        return new Principal(Kind.SERVICE, name, null);
    }

    /** A grantee or retiring principal as ListGrants reports it: an ARN, an account id or a service principal. */
    static Principal grantee(String value) {
        if (value.endsWith(".amazonaws.com") || value.endsWith(".amazonaws.com.cn")) {
            return service(value);
        }
        return aws(value).orElse(new Principal(Kind.OTHER, value, null));
    }
}
