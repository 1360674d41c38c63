package dev.unusd.spokesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.unusd.spokesim.Scenario.Key;
import dev.unusd.spokesim.Scenario.KeyManager;
import dev.unusd.spokesim.Scenario.KeyState;
import dev.unusd.spokesim.Scenario.MultiRegionKeyType;
import dev.unusd.spokesim.Scenario.Origin;
import dev.unusd.spokesim.scenario.ScenarioDefaults;

class OrganisationGeneratorUnitTest {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void theSameSpecYieldsTheSameOrganisation() {
        OrganisationSpec spec = OrganisationSpec.parse("accounts=4,regions=2,keys=30,seed=42");
        assertThat(OrganisationGenerator.generate(spec, NOW)).isEqualTo(OrganisationGenerator.generate(spec, NOW));
        assertThat(OrganisationGenerator.generate(spec, NOW))
                .isNotEqualTo(OrganisationGenerator.generate(OrganisationSpec.parse("accounts=4,regions=2,keys=30,seed=43"), NOW));
    }

    @Test
    void sizesAndAccountIdsFollowTheSpec() {
        Scenario scenario = OrganisationGenerator.generate(new OrganisationSpec(12, 3, 20, 1), NOW);
        assertThat(scenario.accounts()).extracting(Scenario.Account::id).startsWith("100000000001", "100000000002")
                .endsWith("100000000012");
        assertThat(scenario.keyCount()).isEqualTo(12 * 3 * 20);
        assertThat(scenario.account("100000000010").disabledRegions()).containsExactly("us-west-2");
        assertThat(scenario.account("100000000001").roles()).singleElement()
                .satisfies(r -> assertThat(r.externalId()).isNull());
        assertThatThrownBy(() -> OrganisationSpec.parse("acounts=3")).hasMessageContaining("acounts");
    }

    @Test
    void aLargeOrganisationHasTheRealisticMix() {
        Scenario scenario = ScenarioDefaults.complete(
                OrganisationGenerator.generate(new OrganisationSpec(5, 3, 100, 42, "ext"), NOW), NOW);
        List<Key> keys = scenario.accounts().stream().flatMap(a -> a.regions().values().stream())
                .flatMap(r -> r.keys().stream()).toList();
        List<Key> customer = keys.stream().filter(k -> k.manager() == KeyManager.CUSTOMER).toList();
        Instant window = NOW.minus(Duration.ofDays(90));

        long used = customer.stream().filter(k -> k.lastUsage().present() && k.lastUsage().at().isAfter(window)).count();
        assertThat(used).isGreaterThan(customer.size() / 2);
        assertThat(customer).anyMatch(k -> !k.lastUsage().present() && k.cloudTrail().isEmpty());
        assertThat(customer).anyMatch(k -> k.rotatable() && !k.rotation().enabled());
        assertThat(customer).anyMatch(k -> k.rotation().enabled() && k.rotation().periodDays() > 365);
        assertThat(customer).anyMatch(k -> k.spec().startsWith("RSA_"));
        assertThat(customer).anyMatch(k -> k.spec().startsWith("ECC_"));
        assertThat(customer).anyMatch(k -> k.spec().startsWith("HMAC_"));
        assertThat(customer).anyMatch(k -> k.origin() == Origin.EXTERNAL && k.rotation().rotations() == 0);
        assertThat(customer).anyMatch(k -> k.importedSymmetric() && k.rotation().rotations() > 0
                && !k.rotation().enabled());
        assertThat(customer).anyMatch(k -> k.multiRegion() != null && k.multiRegion().type() == MultiRegionKeyType.PRIMARY);
        assertThat(customer).anyMatch(k -> k.multiRegion() != null && k.multiRegion().type() == MultiRegionKeyType.REPLICA);
        // Who can use the keys: open to anyone, shared with a partner by a grant, through S3 for the own account only.
        assertThat(customer).anyMatch(k -> k.keyPolicy() != null && k.keyPolicy().contains("\"Principal\":\"*\""));
        assertThat(customer).anyMatch(k -> k.grants().stream().anyMatch(g -> g.granteePrincipal()
                .equals("arn:aws:iam::" + OrganisationGenerator.PARTNER_ACCOUNT + ":role/etl")));
        assertThat(customer).anyMatch(k -> k.keyPolicy() != null && k.keyPolicy().contains("kms:ViaService"));
        assertThat(customer.stream().filter(k -> k.keyPolicy() == null && k.grants().isEmpty()).count())
                .as("most keys keep the default policy").isGreaterThan(customer.size() / 2);
        assertThat(customer).anyMatch(k -> k.state() == KeyState.PendingDeletion && k.lastUsage().present());
        assertThat(customer).anyMatch(k -> k.state() == KeyState.PendingDeletion && !k.lastUsage().present());
        assertThat(customer).anyMatch(k -> "true".equals(k.tags().get("unusd")));
        assertThat(customer).anyMatch(k -> !k.lastUsage().present() && !k.cloudTrail().isEmpty());
        assertThat(keys).anyMatch(k -> k.manager() == KeyManager.AWS && k.aliases().get(0).startsWith("alias/aws/"));
        assertThat(keys).anyMatch(k -> k.noiseEvents() > 0);
        assertThat(scenario.account("100000000001").roles().get(0).externalId()).isEqualTo("ext");
    }

    @Test
    void theOrgProfileCrowdsKeysInTheHomeRegion() {
        Scenario scenario = OrganisationGenerator.generate(OrganisationSpec.parse("accounts=20,regions=17,keys=50,profile=org"), NOW);
        Scenario.Account first = scenario.account("100000000001");
        assertThat(first.regions()).hasSize(17);
        assertThat(first.regions().get("us-east-1").keys()).hasSize(50);
        assertThat(first.regions().get("eu-west-1").keys()).hasSize(10);
        assertThat(first.regions().get("us-west-2").keys()).hasSize(10);
        List<Scenario.Region> rest = scenario.accounts().stream().flatMap(a -> a.regions().entrySet().stream()
                .filter(e -> !List.of("us-east-1", "eu-west-1", "us-west-2").contains(e.getKey()))
                .map(java.util.Map.Entry::getValue)).toList();
        assertThat(rest).hasSize(20 * 14).allSatisfy(r -> assertThat(r.keys()).hasSizeLessThanOrEqualTo(3)
                .allMatch(k -> k.manager() == KeyManager.AWS));
        assertThat(rest.stream().filter(r -> r.keys().isEmpty()).count()).isBetween(100L, 180L);
        assertThat(scenario.account("100000000010").disabledRegions()).containsExactly("ap-southeast-1");
        assertThat(scenario.accounts().stream().flatMap(a -> a.regions().values().stream()).mapToInt(r -> r.keys().size())
                .sum()).isLessThan(20 * (50 + 2 * 10 + 14 * 3));
        assertThatThrownBy(() -> OrganisationSpec.parse("profile=sparse")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGeneratedOrganisationLoadsIntoTheSimulator() {
        try (SpokeSim sim = SpokeSim.start(OrganisationGenerator.generate(new OrganisationSpec(3, 2, 40, 5)))) {
            assertThat(sim.scenario().keyCount()).isEqualTo(240);
        }
    }

    @Test
    void withOusTheAccountsFormAnAwsOrganisationOfTwoLevels() {
        try (SpokeSim sim = SpokeSim.start(OrganisationGenerator.generate(
                OrganisationSpec.parse("accounts=101,regions=1,keys=0,seed=7,ous=40"), NOW))) {
            var organization = sim.organizations().get(0);
            assertThat(organization.managementAccountId()).isEqualTo("100000000001");
            assertThat(organization.units()).hasSize(40);
            assertThat(organization.units().stream().filter(u -> u.parentId().equals(organization.rootId())))
                    .hasSize(8);
            assertThat(organization.members()).hasSize(101);
            // 100 member accounts dealt over 40 OUs: 2 or 3 in each, every one under an OU, tagged
            assertThat(organization.units()).allSatisfy(u -> assertThat(organization.members().stream()
                    .filter(m -> m.parentId().equals(u.id())).count()).isBetween(2L, 3L));
            assertThat(organization.find("100000000002").orElseThrow().tags()).containsKeys("team", "env");
            assertThat(organization.path("100000000050")).hasSizeBetween(2, 3);
        }
        assertThat(OrganisationGenerator.generate(new OrganisationSpec(3, 1, 0, 1), NOW).organizations()).isEmpty();
    }
}
