package dev.unusd.hub.organization;

/** An error answer of AWS Organizations (or of the way to it), with AWS's error code and HTTP status. */
class OrganizationsException extends RuntimeException {

    private final String code;
    private final int status;

    OrganizationsException(String code, int status, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }

    boolean throttled() {
        return code.equals("TooManyRequestsException");
    }

    /** Worth another try: throttling, AWS's own failures (5xx) and a connection that broke. */
    boolean transientFailure() {
        return throttled() || status >= 500 || status == 0;
    }
}
