package dev.unusd.hub.web;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/** The values of a query parameter that may be repeated ({@code status=OPEN&status=SUPPRESSED}): any of them. */
public final class RepeatedParameters {

    private RepeatedParameters() {
    }

    /** The distinct values given; none, or only empty ones ({@code status=}), is an empty set: no filter. */
    public static <E> Set<E> values(@Nullable List<@Nullable E> given) {
        return given == null ? Set.of() : given.stream().filter(Objects::nonNull).collect(Collectors.toSet());
    }
}
