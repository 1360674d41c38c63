package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.spokesim.CounterSnapshot;
import dev.unusd.spokesim.KeyTruth;
import dev.unusd.spokesim.Scenario;

/**
 * A rescan counts a key's rotations again only when DescribeKey names key material other than the one the last count
 * was confirmed at: every rotation makes new material current, so the same material means the same count. A listing
 * that lags DescribeKey (KMS is eventually consistent) is never paired with the new material.
 */
class KeyRotationsRescanIntegrationTest extends EngineIntegrationTest {

    private static final String REGION = "us-east-1";
    // Each test's account has keys of its own (JUnit makes an instance per test).
    private final String rotated = UUID.randomUUID().toString();
    private final String yearly = UUID.randomUUID().toString();
    private final String never = UUID.randomUUID().toString();
    private final String asymmetric = UUID.randomUUID().toString();

    private String organisation() {
        return """
                regions:
                  us-east-1:
                    keys:
                      - {id: %s, rotation: {enabled: true, periodDays: 90, rotations: 3, nextRotationAt: +20d}}
                      - {id: %s, rotation: {enabled: true}}
                      - {id: %s}
                      - {id: %s, spec: RSA_2048}
                """.formatted(rotated, yearly, never, asymmetric);
    }

    @Test
    void anUnchangedKeyIsNotListedAgainAndARotatedOneIs() {
        Target target = register(organisation(), REGION);
        String account = target.awsAccountId();

        scan(target, REGION, UUID.randomUUID());
        // Pages of 2 in the tests: the key rotated 3 times has 4 materials (2 pages), the others 1 each.
        assertThat(listings(account)).isEqualTo(4);
        assertThat(storedRotations(target)).isEqualTo(truth(account));
        assertThat(storedRotations(target)).containsEntry(rotated, 3).containsEntry(yearly, 0).containsEntry(never, 0);

        scan(target, REGION, UUID.randomUUID());
        assertThat(listings(account)).as("nothing rotated: no key is listed again").isEqualTo(4);
        assertThat(storedRotations(target)).isEqualTo(truth(account));

        sim().rotateKeyNow(account, REGION, never);
        scan(target, REGION, UUID.randomUUID());
        assertThat(listings(account)).as("only the rotated key is listed again (2 materials, 1 page)").isEqualTo(5);
        assertThat(storedRotations(target)).isEqualTo(truth(account)).containsEntry(never, 1);
        assertThat(keys(target, REGION).get(never).get("monthly_cost_usd")).hasToString("2.00");
    }

    @Test
    void aListingThatLagsARotationIsCountedAgainAtTheNextScan() {
        Target target = register(organisation(), REGION);
        String account = target.awsAccountId();
        scan(target, REGION, UUID.randomUUID());

        sim().rotateKeyNow(account, REGION, rotated);
        sim().setKeyFaults(account, REGION, rotated, new Scenario.KeyFaults(false, false, false, true));
        try {
            scan(target, REGION, UUID.randomUUID());
        } finally {
            sim().setKeyFaults(account, REGION, rotated, Scenario.KeyFaults.NONE);
        }
        // The count is AWS's lagging answer, and it is not tied to the material DescribeKey named.
        assertThat(storedRotations(target)).containsEntry(rotated, 3);
        assertThat(keys(target, REGION).get(rotated).get("rotations_key_material_id")).isNull();
        long before = listings(account);

        scan(target, REGION, UUID.randomUUID());
        assertThat(listings(account) - before).as("that key only: 5 materials, 3 pages").isEqualTo(3);
        assertThat(storedRotations(target)).isEqualTo(truth(account)).containsEntry(rotated, 4);
        assertThat(keys(target, REGION).get(rotated).get("rotations_key_material_id")).isNotNull();

        long confirmed = listings(account);
        scan(target, REGION, UUID.randomUUID());
        assertThat(listings(account)).as("confirmed now: not listed again").isEqualTo(confirmed);
    }

    /** A role older than kms:ListKeyRotations: what rotations cost cannot be known, so neither can the key's cost. */
    @Test
    void aKeyWhoseRotationsCannotBeCountedHasNoKnownCost() {
        Target target = register(organisation(), REGION);
        withhold(target, "kms:ListKeyRotations");

        TargetResult result = scan(target, REGION, UUID.randomUUID());

        assertThat(result.status()).isEqualTo(TargetStatus.SUCCEEDED);
        assertThat(result.warnings()).extracting(TargetWarning::code, TargetWarning::keys)
                .contains(tuple("ROTATIONS_DENIED", 3));
        Map<String, Map<String, Object>> keys = keys(target, REGION);
        for (String rotatable : List.of(rotated, yearly, never)) {
            assertThat(keys.get(rotatable).get("monthly_cost_usd")).as(rotatable).isNull();
        }
        assertThat(keys.get(asymmetric).get("monthly_cost_usd")).hasToString("1.00");
        // The unused keys' findings are worth at least the $1 every customer key costs.
        assertThat(findings(target, REGION).values()).extracting(f -> f.get("monthly_cost_usd").toString())
                .isNotEmpty().allMatch(cost -> cost.equals("1.00"));
    }

    private static long listings(String account) {
        CounterSnapshot counters = sim().counters();
        return counters.of(account, REGION, "ListKeyRotations").calls();
    }

    /** Stored rotations of the keys that rotate (the asymmetric key has none), by key id. */
    private Map<String, Object> storedRotations(Target target) {
        Map<String, Object> rotations = new TreeMap<>();
        keys(target, REGION).forEach((id, row) -> {
            if (!id.equals(asymmetric)) {
                rotations.put(id, row.get("rotations"));
            }
        });
        assertThat(keys(target, REGION).get(asymmetric).get("rotations")).isNull();
        return rotations;
    }

    private Map<String, Object> truth(String account) {
        Map<String, Object> rotations = new TreeMap<>();
        for (KeyTruth key : sim().keys(account, REGION)) {
            if (!key.id().equals(asymmetric)) {
                rotations.put(key.id(), key.rotationCount());
            }
        }
        return rotations;
    }
}
