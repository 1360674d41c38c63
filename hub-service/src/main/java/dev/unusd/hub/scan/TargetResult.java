package dev.unusd.hub.scan;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How a target ended. {@code error} is set for FAILED and SKIPPED targets. A SUCCEEDED target may still have keys it
 * could not judge ({@code undecidedKeys}: their findings were left as they were) and {@code warnings} saying why.
 */
public record TargetResult(TargetStatus status, int keysScanned, int findingsOpened, int findingsResolved,
        @Nullable TargetError error, int undecidedKeys, List<TargetWarning> warnings) {

    public TargetResult {
        warnings = List.copyOf(warnings);
    }

    public TargetResult(TargetStatus status, int keysScanned, int findingsOpened, int findingsResolved,
            @Nullable TargetError error) {
        this(status, keysScanned, findingsOpened, findingsResolved, error, 0, List.of());
    }

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
