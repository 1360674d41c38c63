package dev.unusd.hub.access;

/** A policy or statement that is not IAM's JSON shape: what it allows is unknown. */
final class PolicyFormatException extends RuntimeException {

    PolicyFormatException(String message) {
        super(message);
    }
}
