package dev.unusd.hub.access;

import java.util.List;

/**
 * One condition of a statement as the model read it: operator, key and values as written, and what it does to the
 * audience ({@code effect}, e.g. "narrows to accounts 111122223333", "narrows nothing: a value has a wildcard").
 */
public record ConditionTerm(String operator, String key, List<String> values, String effect) {

    public ConditionTerm {
        values = List.copyOf(values);
    }
}
