package dev.unusd.spokesim.wire;

/** An error answer with AWS's code, HTTP status and wording. Thrown anywhere below the gateway, encoded there. */
public class AwsError extends RuntimeException {

    private final String code;
    private final int status;

    public AwsError(String code, int status, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    public static AwsError client(String code, String message) {
        return new AwsError(code, 400, message);
    }

    public static AwsError notFound(String message) {
        return client("NotFoundException", message);
    }

    public static AwsError validation(String message) {
        return client("ValidationException", message);
    }

    public static AwsError invalidState(String message) {
        return client("KMSInvalidStateException", message);
    }

    public static AwsError accessDenied(String message) {
        return client("AccessDeniedException", message);
    }

    public static AwsError throttled() {
        return client("ThrottlingException", "Rate exceeded");
    }

    public static AwsError unrecognizedClient() {
        return client("UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public boolean serverFault() {
        return status >= 500;
    }
}
