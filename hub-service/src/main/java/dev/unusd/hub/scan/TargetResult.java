package dev.unusd.hub.scan;

import org.jspecify.annotations.Nullable;

/** How a target ended. {@code error} is set for FAILED and SKIPPED targets. */
public record TargetResult(TargetStatus status, int keysScanned, int findingsOpened, int findingsResolved,
        @Nullable TargetError error) {

    public static TargetResult failed(String code, String message) {
        return new TargetResult(TargetStatus.FAILED, 0, 0, 0, new TargetError(code, message));
    }

    public static TargetResult skipped(String code, String message) {
        return new TargetResult(TargetStatus.SKIPPED, 0, 0, 0, new TargetError(code, message));
    }

    /** A machine-readable code (ASSUME_ROLE_DENIED, REGION_NOT_ENABLED, THROTTLED, AWS_ERROR, ...) and a message. */
    public record TargetError(String code, String message) {
    }
}
