package dev.unusd.hub.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.kms.UsageSpans.Span;

class UsageSpansUnitTest {

    private static Instant day(int n) {
        return Instant.parse("2026-01-01T00:00:00Z").plusSeconds(86_400L * n);
    }

    @Test
    void spansMergeWhereTheyTouchOrOverlap() {
        UsageSpans spans = UsageSpans.of(day(10), day(20)).with(day(30), day(40)).with(day(20), day(25))
                .with(day(38), day(50));
        assertThat(spans.spans()).containsExactly(new Span(day(10), day(25)), new Span(day(30), day(50)));
        assertThat(spans.with(day(5), day(60)).spans()).containsExactly(new Span(day(5), day(60)));
        assertThat(spans.with(day(7), day(7))).isEqualTo(spans);
    }

    @Test
    void gapsAreWhatNoSpanCoversNewestFirst() {
        UsageSpans spans = UsageSpans.of(day(10), day(20)).with(day(30), day(40));
        assertThat(spans.gaps(day(0), day(50))).containsExactly(new Span(day(40), day(50)), new Span(day(20), day(30)),
                new Span(day(0), day(10)));
        assertThat(spans.gaps(day(12), day(35))).containsExactly(new Span(day(20), day(30)));
        assertThat(spans.gaps(day(31), day(39))).isEmpty();
        assertThat(UsageSpans.NONE.gaps(day(1), day(2))).containsExactly(new Span(day(1), day(2)));
        assertThat(spans.covers(day(10), day(20))).isTrue();
        assertThat(spans.covers(day(10), day(21))).isFalse();
    }

    @Test
    void untilAndSinceCutTheEnds() {
        UsageSpans spans = UsageSpans.of(day(10), day(20)).with(day(30), day(40));
        assertThat(spans.until(day(35)).spans()).containsExactly(new Span(day(10), day(20)), new Span(day(30), day(35)));
        assertThat(spans.until(day(5)).spans()).isEmpty();
        assertThat(spans.since(day(15)).spans()).containsExactly(new Span(day(15), day(20)), new Span(day(30), day(40)));
        assertThat(spans.reachingBackFrom(day(40))).isEqualTo(day(30));
        assertThat(spans.reachingBackFrom(day(25))).isNull();
    }

    @Test
    void storedAsPairsOfInstants() {
        UsageSpans spans = UsageSpans.of(day(10), day(20)).with(day(30), day(40));
        assertThat(spans.asLists()).isEqualTo(List.of(List.of("2026-01-11T00:00:00Z", "2026-01-21T00:00:00Z"),
                List.of("2026-01-31T00:00:00Z", "2026-02-10T00:00:00Z")));
        assertThat(UsageSpans.parse("[[\"2026-01-11T00:00:00Z\",\"2026-01-21T00:00:00Z\"],"
                + "[\"2026-01-31T00:00:00Z\",\"2026-02-10T00:00:00Z\"]]")).isEqualTo(spans);
    }

    @Test
    void aVerdictNeedsEverySpanAfterItsThresholdSearched() {
        Usage.LastUse use = new Usage.LastUse(day(50), "Decrypt", UsageSource.CLOUDTRAIL, "e");
        Usage usage = new Usage(UsageStatus.UNKNOWN, use, UsageSpans.of(day(40), day(60)).with(day(70), day(100)),
                day(100));
        assertThat(usage.usedSince(day(45), day(0), day(100))).isTrue();
        assertThat(usage.usedSince(day(75), day(0), day(100))).isFalse();
        assertThat(usage.usedSince(day(55), day(0), day(100))).as("[60, 70] was never searched").isNull();
        assertThat(usage.usedSince(day(55), day(72), day(100))).as("created after the unsearched span").isFalse();
        assertThat(usage.lastUseIsLatest()).isFalse();
        assertThat(usage.knownSince()).isEqualTo(day(70));
    }
}
