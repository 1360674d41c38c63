package dev.unusd.hub.kms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stretches of time a key's use was searched for, as disjoint spans in time order. Together with the newest use
 * found ({@link Usage#lastUse()}) they say: in every span, no successful use later than that one. Spans only grow:
 * a narrower search later adds to them and never takes back what an earlier one covered.
 */
public record UsageSpans(List<Span> spans) {

    public static final UsageSpans NONE = new UsageSpans(List.of());
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public UsageSpans {
        spans = List.copyOf(spans);
    }

    /** [from, to], both ends included. */
    public record Span(Instant from, Instant to) {
        public Span {
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("span ends before it starts: " + from + " .. " + to);
            }
        }
    }

    /** As stored: [["2026-09-07T00:00:00Z", "2026-12-06T00:00:00Z"], ...]. */
    public static UsageSpans parse(String json) {
        UsageSpans spans = NONE;
        for (JsonNode span : JSON.readTree(json)) {
            spans = spans.with(Instant.parse(span.get(0).asString()), Instant.parse(span.get(1).asString()));
        }
        return spans;
    }

    public List<List<String>> asLists() {
        return spans.stream().map(s -> List.of(s.from().toString(), s.to().toString())).toList();
    }

    public static UsageSpans of(Instant from, Instant to) {
        return NONE.with(from, to);
    }

    public boolean isEmpty() {
        return spans.isEmpty();
    }

    /** These spans and [from, to], merged where they touch or overlap. An empty or reversed span changes nothing. */
    public UsageSpans with(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return this;
        }
        List<Span> all = new ArrayList<>(spans);
        all.add(new Span(from, to));
        return merged(all);
    }

    public UsageSpans with(UsageSpans other) {
        List<Span> all = new ArrayList<>(spans);
        all.addAll(other.spans);
        return merged(all);
    }

    /** The parts of [from, to] no span covers, newest first (the order a search for the newest use wants). */
    public List<Span> gaps(Instant from, Instant to) {
        List<Span> gaps = new ArrayList<>();
        Instant end = to;
        for (int i = spans.size() - 1; i >= 0 && end.isAfter(from); i--) {
            Span span = spans.get(i);
            if (!span.to().isBefore(end)) {
                end = span.from().isBefore(end) ? span.from() : end;
                continue;
            }
            if (span.to().isAfter(from)) {
                gaps.add(new Span(span.to(), end));
                end = span.from();
            }
        }
        if (end.isAfter(from)) {
            gaps.add(new Span(from, end));
        }
        return gaps;
    }

    public boolean covers(Instant from, Instant to) {
        return gaps(from, to).isEmpty();
    }

    /** Where the span that reaches {@code at} starts: "no use since then" holds from there; null if none reaches it. */
    public @Nullable Instant reachingBackFrom(Instant at) {
        for (Span span : spans) {
            if (!span.from().isAfter(at) && !span.to().isBefore(at)) {
                return span.from();
            }
        }
        return null;
    }

    /** Without anything after {@code at}: what an earlier answer may not vouch for any more. */
    public UsageSpans until(Instant at) {
        List<Span> kept = new ArrayList<>();
        for (Span span : spans) {
            if (span.to().isAfter(at)) {
                if (span.from().isBefore(at)) {
                    kept.add(new Span(span.from(), at));
                }
            } else {
                kept.add(span);
            }
        }
        return new UsageSpans(kept);
    }

    /** Without anything before {@code at}: older knowledge no window reaches, so the stored list stays short. */
    public UsageSpans since(Instant at) {
        List<Span> kept = new ArrayList<>();
        for (Span span : spans) {
            if (span.to().isAfter(at)) {
                kept.add(span.from().isBefore(at) ? new Span(at, span.to()) : span);
            }
        }
        return new UsageSpans(kept);
    }

    private static UsageSpans merged(List<Span> all) {
        all.sort(Comparator.comparing(Span::from));
        List<Span> merged = new ArrayList<>();
        for (Span span : all) {
            Span last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && !span.from().isAfter(last.to())) {
                if (span.to().isAfter(last.to())) {
                    merged.set(merged.size() - 1, new Span(last.from(), span.to()));
                }
            } else {
                merged.add(span);
            }
        }
        return new UsageSpans(merged);
    }
}
