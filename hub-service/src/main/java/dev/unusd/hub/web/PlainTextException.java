package dev.unusd.hub.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.MismatchedInputException;

/** A string of a request body that is not {@link PlainText}; Jackson adds the path to its field on the way out. */
final class PlainTextException extends MismatchedInputException {

    private final String fault;

    PlainTextException(JsonParser parser, String fault) {
        super(parser, "String value " + fault, String.class);
        this.fault = fault;
    }

    String fault() {
        return fault;
    }
}
