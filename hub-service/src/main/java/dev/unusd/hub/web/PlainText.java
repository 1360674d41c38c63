package dev.unusd.hub.web;

import java.util.Optional;

/**
 * The text a request may carry, in bodies and parameters alike: no control characters but tab, line feed and
 * carriage return (PostgreSQL refuses NUL outright; the others are nobody's text), and no unpaired surrogate, which
 * is no character at all and would be stored as '?'.
 */
final class PlainText {

    private PlainText() {
    }

    /** Why {@code value} is not plain text, as a field message; empty when it is. */
    static Optional<String> fault(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return Optional.of("must not contain control characters");
            }
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("must not contain an unpaired surrogate");
            }
        }
        return Optional.empty();
    }
}
