package dev.unusd.hub.aws;

/** A target cannot go on; the scanner turns the failure into the target's result. */
public final class SpokeException extends RuntimeException {

    private final SpokeFailure failure;

    public SpokeException(SpokeFailure failure, Throwable cause) {
        super(failure.kind() + ": " + failure.message(), cause);
        this.failure = failure;
    }

    public SpokeFailure failure() {
        return failure;
    }
}
