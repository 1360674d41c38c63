package dev.unusd.spokesim;

/** An error answer with AWS's code, HTTP status and wording. Thrown anywhere below the gateway, encoded there. */
final class AwsError extends RuntimeException {

    private final String code;
    private final int status;

    AwsError(String code, int status, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    static AwsError client(String code, String message) {
        return new AwsError(code, 400, message);
    }

    static AwsError notFound(String message) {
        return client("NotFoundException", message);
    }

    static AwsError validation(String message) {
        return client("ValidationException", message);
    }

    static AwsError invalidState(String message) {
        return client("KMSInvalidStateException", message);
    }

    static AwsError accessDenied(String message) {
        return client("AccessDeniedException", message);
    }

    static AwsError throttled() {
        return client("ThrottlingException", "Rate exceeded");
    }

    static AwsError unrecognizedClient() {
        return client("UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }

    boolean serverFault() {
        return status >= 500;
    }
}
