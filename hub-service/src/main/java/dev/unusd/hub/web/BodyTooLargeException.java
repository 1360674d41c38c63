package dev.unusd.hub.web;

import java.io.IOException;

/**
 * A request body that went past the limit while it was read (a chunked body declares no length). An IOException, as a
 * stream must throw; whoever reads the stream (Jackson) wraps it, and ProblemHandler looks for it among the causes.
 */
final class BodyTooLargeException extends IOException {

    private final long maxBytes;

    BodyTooLargeException(long maxBytes) {
        super("request body exceeds " + maxBytes + " bytes", null);
        this.maxBytes = maxBytes;
    }

    String detail() {
        return detail(maxBytes);
    }

    static String detail(long maxBytes) {
        return "Request body exceeds " + maxBytes + " bytes";
    }
}
