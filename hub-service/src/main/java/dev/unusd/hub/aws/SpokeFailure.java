package dev.unusd.hub.aws;

import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Why a target could not be scanned, classified from what AWS answered. The message names the AWS error code and
 * says what to do; it never carries credentials.
 */
public record SpokeFailure(Kind kind, String message) {

    public enum Kind {
        /** STS refused AssumeRole: role missing, trust mismatch or wrong ExternalId (AWS does not say which). */
        ASSUME_ROLE_DENIED,
        /** The account has not enabled the region: nothing to scan there, not a failure. */
        REGION_NOT_ENABLED,
        /** AWS kept throttling after the hub slowed down and retried. */
        THROTTLED,
        /** The role was assumed but may not make a call the scan needs (a permission missing from the role). */
        ACCESS_DENIED,
        /**
         * AWS answered in another account's name (the assumed session, or a key ARN): nothing it says may change this
         * account's findings.
         */
        ACCOUNT_MISMATCH,
        /** ListKeys left out a key that cannot have been deleted yet, and DescribeKey could not confirm it exists. */
        INVENTORY_INCOMPLETE,
        AWS_ERROR
    }

    private static final Set<String> REGION_NOT_ENABLED_CODES = Set.of("UnrecognizedClientException",
            "InvalidClientTokenId");
    private static final Set<String> THROTTLING_CODES = Set.of("ThrottlingException", "Throttling",
            "TooManyRequestsException", "RequestLimitExceeded");
    /** Unknown-operation codes: JSON protocols (and this project's simulator), Query protocols, EC2, emulators. */
    private static final Set<String> UNKNOWN_OPERATION_CODES = Set.of("UnknownOperationException", "InvalidAction",
            "UnsupportedOperation", "NotImplemented", "NotImplementedException");
    /** How emulators word it: LocalStack ("not yet implemented", "has not yet been emulated"), moto, the simulator. */
    private static final Pattern NOT_IMPLEMENTED = Pattern.compile(
            "not (yet )?implemented|has not (yet )?been (implemented|emulated)|does not implement",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_MESSAGE = 500;

    public static SpokeFailure of(Throwable failure, String roleArn) {
        StsException sts = find(failure, StsException.class);
        if (sts != null) {
            String code = code(sts);
            if (sts.statusCode() == 403 || "AccessDenied".equals(code)) {
                return new SpokeFailure(Kind.ASSUME_ROLE_DENIED, "The hub may not assume " + roleArn + " (" + code
                        + "): deploy the spoke role with this account's ExternalId and trust in the hub");
            }
            return new SpokeFailure(isThrottling(sts) ? Kind.THROTTLED : Kind.AWS_ERROR,
                    "AssumeRole " + roleArn + " failed: " + describe(sts));
        }
        AwsServiceException aws = find(failure, AwsServiceException.class);
        if (aws != null && REGION_NOT_ENABLED_CODES.contains(code(aws))) {
            return new SpokeFailure(Kind.REGION_NOT_ENABLED, "The account has not enabled this region ("
                    + code(aws) + ")");
        }
        if (aws != null && isThrottling(aws)) {
            return new SpokeFailure(Kind.THROTTLED, "AWS kept throttling " + operation(aws) + " after the hub slowed "
                    + "down; the next scan continues");
        }
        if (aws != null && isAccessDenied(aws)) {
            return new SpokeFailure(Kind.ACCESS_DENIED, truncate("The spoke role " + roleArn + " was refused "
                    + operation(aws) + ": " + describe(aws)));
        }
        return new SpokeFailure(Kind.AWS_ERROR, truncate(aws != null ? describe(aws) : describe(failure)));
    }

    /**
     * The role's cached session no longer works: AccessDenied (the role lost a permission or was deleted) or an
     * expired or revoked session token. Assuming the role again tells which.
     */
    public static boolean isStaleSession(Throwable failure) {
        AwsServiceException aws = find(failure, AwsServiceException.class);
        return aws != null && (isAccessDenied(aws) || code(aws).equals("ExpiredTokenException")
                || code(aws).equals("ExpiredToken"));
    }

    /** AccessDenied on a call made with the role's session: the role lost a permission, or was deleted. */
    public static boolean isAccessDenied(Throwable failure) {
        AwsServiceException aws = find(failure, AwsServiceException.class);
        return aws != null && (code(aws).equals("AccessDeniedException") || code(aws).equals("AccessDenied"));
    }

    public static boolean isThrottling(Throwable failure) {
        return failure instanceof AwsServiceException aws
                && (THROTTLING_CODES.contains(code(aws)) || aws.isThrottlingException());
    }

    public static boolean isRegionNotEnabled(Throwable failure) {
        AwsServiceException aws = find(failure, AwsServiceException.class);
        return aws != null && REGION_NOT_ENABLED_CODES.contains(code(aws));
    }

    /**
     * The endpoint does not implement the operation at all (an emulator, a partition without it): HTTP 501, an
     * unknown-operation code, or an answer that says so. KMS's UnsupportedOperationException is not one: it is about
     * the key asked for, and only the caller knows whether it asked for one.
     */
    public static boolean isUnknownOperation(Throwable failure) {
        AwsServiceException aws = find(failure, AwsServiceException.class);
        if (aws == null) {
            return false;
        }
        String message = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorMessage();
        return aws.statusCode() == 501 || UNKNOWN_OPERATION_CODES.contains(code(aws))
                || message != null && NOT_IMPLEMENTED.matcher(message).find();
    }

    /**
     * Throttling beyond retries and a region that is not enabled stop the whole target; anything else AWS answers for
     * one key (a key-policy denial, an unsupported key, a 5xx left after the SDK's retries) leaves that key's field
     * unknown instead.
     */
    public static void rethrowIfTargetWide(AwsServiceException e) {
        if (isThrottling(e) || isRegionNotEnabled(e)) {
            throw e;
        }
    }

    /** The AWS error code of a service exception, e.g. AccessDeniedException; empty for client-side failures. */
    public static String code(Throwable failure) {
        if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            String code = aws.awsErrorDetails().errorCode();
            return code == null ? "" : code;
        }
        return "";
    }

    /** "AccessDeniedException: User ... is not authorized ...", for per-key reasons and per-check errors. */
    public static String describe(Throwable failure) {
        if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            String message = aws.awsErrorDetails().errorMessage();
            return truncate(code(aws) + ": " + (message == null ? "HTTP " + aws.statusCode() : message));
        }
        String message = failure.getMessage();
        return truncate(failure.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

    private static String operation(AwsServiceException aws) {
        return aws.awsErrorDetails() != null && aws.awsErrorDetails().serviceName() != null
                ? aws.awsErrorDetails().serviceName() : "the spoke account";
    }

    private static String truncate(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 1) + "…";
    }

    private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
