package dev.unusd.hub.web;

import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/** One page of a keyset-paginated list: pass {@code nextCursor} back as {@code cursor} for the next one. */
public record Page<T>(List<T> items, @Nullable String nextCursor) {

    /**
     * The page from a query that asked for {@code limit + 1} rows: the extra row only tells that there is more,
     * and the cursor points after the last row shown.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> cursorAfter) {
        if (rows.size() <= limit) {
            return new Page<>(List.copyOf(rows), null);
        }
        List<T> items = List.copyOf(rows.subList(0, limit));
        return new Page<>(items, cursorAfter.apply(items.get(limit - 1)));
    }
}
