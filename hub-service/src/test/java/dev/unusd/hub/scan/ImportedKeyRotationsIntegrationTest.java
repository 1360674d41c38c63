package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.spokesim.KeyTruth;

/**
 * Symmetric keys with imported key material rotate on demand only, and each of their first two rotations costs $1 a
 * month as an automatic one does. Their rotations are counted from ListKeyRotations, and listed again only once
 * DescribeKey names other current material, as for keys with KMS's material; GetKeyRotationStatus is not asked.
 */
class ImportedKeyRotationsIntegrationTest extends EngineIntegrationTest {

    private static final String REGION = "us-east-1";
    // Each test's account has keys of its own (JUnit makes an instance per test).
    private final String twice = UUID.randomUUID().toString();
    private final String never = UUID.randomUUID().toString();
    private final String multiRegion = "mrk-" + UUID.randomUUID().toString().replace("-", "");

    private String organisation() {
        return """
                regions:
                  us-east-1:
                    keys:
                      - id: %s
                        origin: EXTERNAL
                        createdAt: -400d
                        rotation: {rotations: 2}
                        lastUsage: {at: -1d, operation: Decrypt}
                      - {id: %s, origin: EXTERNAL, createdAt: -400d, lastUsage: none}
                      - id: %s
                        origin: EXTERNAL
                        multiRegion: {type: PRIMARY}
                        rotation: {rotations: 1}
                        lastUsage: {at: -2d, operation: Encrypt}
                """.formatted(twice, never, multiRegion);
    }

    @Test
    void importedKeysCostTheirOnDemandRotationsAndAreListedAgainOnlyAfterOne() {
        Target target = register(organisation(), REGION);
        String account = target.awsAccountId();
        // Imported for a rotation that has not happened: listed, but no rotation.
        sim().importKeyMaterial(account, REGION, never);

        scan(target, REGION, UUID.randomUUID());
        Map<String, Map<String, Object>> keys = keys(target, REGION);
        assertThat(keys.get(twice).get("monthly_cost_usd")).isEqualTo(new BigDecimal("3.00"));
        assertThat(keys.get(never).get("monthly_cost_usd")).isEqualTo(new BigDecimal("1.00"));
        assertThat(keys.get(multiRegion).get("monthly_cost_usd")).isEqualTo(new BigDecimal("2.00"));
        assertThat(keys.get(twice)).containsEntry("rotations", 2).containsEntry("rotation_enabled", false)
                .containsEntry("rotation_period_days", null);
        assertThat(keys.get(never)).containsEntry("rotations", 0);
        assertThat(rotations(target)).isEqualTo(truth(account));
        // Pages of 2 in the tests: 3 materials (2 pages); the initial and the pending one (1); the multi-Region key's 2.
        assertThat(calls(account, "ListKeyRotations")).isEqualTo(4);
        assertThat(calls(account, "GetKeyRotationStatus")).isZero();
        // Automatic rotation is not for imported key material: never a rotation finding, only the unused key's.
        assertThat(findingStatuses(target, REGION)).containsOnlyKeys(never + " KEY_UNUSED");
        assertThat(findings(target, REGION).get(never + " KEY_UNUSED").get("monthly_cost_usd"))
                .isEqualTo(new BigDecimal("1.00"));

        scan(target, REGION, UUID.randomUUID());
        // AWS names no current material of a multi-Region key with imported material: it alone is listed again.
        assertThat(calls(account, "ListKeyRotations")).isEqualTo(5);
        assertThat(rotations(target)).isEqualTo(truth(account));

        sim().rotateKeyNow(account, REGION, never);
        scan(target, REGION, UUID.randomUUID());
        assertThat(calls(account, "ListKeyRotations")).as("the rotated key (2 materials, 1 page) and the multi-Region one")
                .isEqualTo(7);
        assertThat(rotations(target)).isEqualTo(truth(account)).containsEntry(never, 1);
        assertThat(keys(target, REGION).get(never).get("monthly_cost_usd")).isEqualTo(new BigDecimal("2.00"));

        sim().rotateKeyNow(account, REGION, twice);
        scan(target, REGION, UUID.randomUUID());
        assertThat(rotations(target)).isEqualTo(truth(account)).containsEntry(twice, 3);
        assertThat(keys(target, REGION).get(twice).get("monthly_cost_usd")).as("two rotations at most are billed")
                .isEqualTo(new BigDecimal("3.00"));
        assertThat(calls(account, "GetKeyRotationStatus")).isZero();
    }

    /** A role older than kms:ListKeyRotations: what the rotations cost cannot be known, so neither can the key's cost. */
    @Test
    void aDeniedListingLeavesAnImportedKeysCostUnknown() {
        Target target = register(organisation(), REGION);
        withhold(target, "kms:ListKeyRotations");

        TargetResult result = scan(target, REGION, UUID.randomUUID());

        assertThat(result.status()).isEqualTo(TargetStatus.SUCCEEDED);
        assertThat(result.warnings()).extracting(TargetWarning::code, TargetWarning::keys)
                .containsExactly(tuple("ROTATIONS_DENIED", 3));
        Map<String, Map<String, Object>> keys = keys(target, REGION);
        for (String imported : new String[] {twice, never, multiRegion}) {
            assertThat(keys.get(imported).get("monthly_cost_usd")).as(imported).isNull();
            assertThat(keys.get(imported).get("rotations")).as(imported).isNull();
        }
        // The unused key's finding is worth the $1 every customer key costs at least.
        assertThat(findings(target, REGION).get(never + " KEY_UNUSED").get("monthly_cost_usd"))
                .isEqualTo(new BigDecimal("1.00"));
    }

    private static long calls(String account, String operation) {
        return sim().counters().of(account, REGION, operation).calls();
    }

    private Map<String, Object> rotations(Target target) {
        Map<String, Object> rotations = new TreeMap<>();
        keys(target, REGION).forEach((id, row) -> rotations.put(id, row.get("rotations")));
        return rotations;
    }

    private Map<String, Object> truth(String account) {
        Map<String, Object> rotations = new TreeMap<>();
        for (KeyTruth key : sim().keys(account, REGION)) {
            rotations.put(key.id(), key.rotationCount());
        }
        return rotations;
    }
}
