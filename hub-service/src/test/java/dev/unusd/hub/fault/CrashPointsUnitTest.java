package dev.unusd.hub.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.aws.SpokeAction;

/** The setting's forms; that a hub halts at each point is ScanCrashIntegrationTest's part. */
class CrashPointsUnitTest {

    @Test
    void aPointAloneHaltsTheFirstTimeAndACountTheNthTime() {
        assertThat(CrashPoints.Setting.parse("keys-listed"))
                .isEqualTo(new CrashPoints.Setting(CrashPoint.KEYS_LISTED, 1));
        assertThat(CrashPoints.Setting.parse(" key-described, 25 "))
                .isEqualTo(new CrashPoints.Setting(CrashPoint.KEY_DESCRIBED, 25));
        assertThat(CrashPoints.Setting.parse("")).isNull();
    }

    @Test
    void everyPointHasTheConfigNameOfItsConstant() {
        assertThat(CrashPoint.SCAN_FINALISED.configName()).isEqualTo("scan-finalised");
        for (CrashPoint point : CrashPoint.values()) {
            assertThat(CrashPoints.Setting.parse(point.configName()).point()).isEqualTo(point);
        }
    }

    @Test
    void aMistypedSettingStopsTheHubInsteadOfNeverHalting() {
        assertThatThrownBy(() -> CrashPoints.Setting.parse("keys-upserted,0"))
                .hasMessage("hub.scan.crash-at: n must be at least 1, was 0");
        assertThatThrownBy(() -> CrashPoints.Setting.parse("keys-upserted,two"))
                .hasMessage("hub.scan.crash-at: n must be a number, was 'two'");
        assertThatThrownBy(() -> CrashPoints.Setting.parse("keys-upserted,1,2"))
                .hasMessage("hub.scan.crash-at: expected <point>[,<n>], was 'keys-upserted,1,2'");
        assertThatThrownBy(() -> CrashPoints.Setting.parse("after-commit"))
                .hasMessageStartingWith("hub.scan.crash-at: unknown crash point 'after-commit'; one of scan-inserted, "
                        + "target-claimed, connected, keys-listed, key-described, collected, keys-upserted, ");
    }

    @Test
    void haltsOnlyAtItsPointAndOnlyTheNthTime() {
        List<Integer> halts = new ArrayList<>();
        AtomicInteger collected = new AtomicInteger();
        CrashPoints crashPoints = new CrashPoints("collected,3", () -> halts.add(collected.get()));
        for (int round = 0; round < 4; round++) {
            for (CrashPoint point : CrashPoint.values()) {
                if (point == CrashPoint.COLLECTED) {
                    collected.incrementAndGet();
                }
                crashPoints.reached(point);
            }
        }
        assertThat(halts).containsExactly(3);
    }

    @Test
    void collectionPointsAreTheAnswersToListKeysAndDescribeKey() {
        List<String> halts = new ArrayList<>();
        CrashPoints listed = new CrashPoints("keys-listed", () -> halts.add("listed"));
        CrashPoints described = new CrashPoints("key-described,2", () -> halts.add("described"));
        for (SpokeAction action : List.of(SpokeAction.GET_KEY_LAST_USAGE, SpokeAction.DESCRIBE_KEY,
                SpokeAction.LIST_KEYS, SpokeAction.DESCRIBE_KEY, SpokeAction.LOOKUP_EVENTS)) {
            listed.answered(action);
            described.answered(action);
            halts.add(action.name());
        }
        assertThat(halts).containsExactly("GET_KEY_LAST_USAGE", "DESCRIBE_KEY", "listed", "LIST_KEYS", "described",
                "DESCRIBE_KEY", "LOOKUP_EVENTS");
    }

    @Test
    void withoutTheSettingNoPointHalts() {
        List<CrashPoint> halts = new ArrayList<>();
        for (CrashPoint point : CrashPoint.values()) {
            new CrashPoints("", () -> halts.add(point)).reached(point);
        }
        assertThat(halts).isEmpty();
    }
}
