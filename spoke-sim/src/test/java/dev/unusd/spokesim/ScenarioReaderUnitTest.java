package dev.unusd.spokesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.unusd.spokesim.Scenario.Key;
import dev.unusd.spokesim.Scenario.KeyManager;
import dev.unusd.spokesim.Scenario.LastUsage;
import dev.unusd.spokesim.scenario.ScenarioDefaults;

class ScenarioReaderUnitTest {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final ScenarioReader READER = new ScenarioReader(NOW);

    @Test
    void datesAreInstantsDatesOrOffsetsFromLoadTime() {
        Scenario scenario = READER.parse("""
                accounts:
                  - id: "123456789012"
                    regions:
                      us-east-1:
                        trackingStartDate: -30d
                        keys:
                          - {id: a, createdAt: 2025-01-02T03:04:05Z, deletionDate: +3h, lastUsage: {at: now, operation: Encrypt}}
                          - {id: b, createdAt: 2025-06-01, lastUsage: {at: -90m, operation: Decrypt}}
                """);
        Scenario.Region region = scenario.account("123456789012").region("us-east-1");
        assertThat(region.trackingStartDate()).isEqualTo(NOW.minus(Duration.ofDays(30)));
        assertThat(region.key("a").createdAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
        assertThat(region.key("a").deletionDate()).isEqualTo(NOW.plus(Duration.ofHours(3)));
        assertThat(region.key("a").lastUsage()).isEqualTo(new LastUsage(NOW, "Encrypt"));
        assertThat(region.key("b").createdAt()).isEqualTo(Instant.parse("2025-06-01T00:00:00Z"));
        assertThat(region.key("b").lastUsage().at()).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
    }

    @Test
    void lastUsageLeftOutComesFromCloudTrailEntriesSinceTrackingStarted() {
        Scenario scenario = ScenarioDefaults.complete(READER.parse("""
                {"accounts": [{"id": "123456789012", "regions": {"us-east-1": {"trackingStartDate": "-30d", "keys": [
                  {"id": "since", "cloudTrail": [{"at": "-10d", "eventName": "Decrypt"}, {"at": "-5d", "eventName": "Encrypt", "errorCode": "DisabledException"}]},
                  {"id": "before", "cloudTrail": [{"at": "-40d", "eventName": "Encrypt"}]},
                  {"id": "never", "lastUsage": "none", "cloudTrail": [{"at": "-1d", "eventName": "Encrypt"}]}
                ]}}}]}
                """), NOW);
        Scenario.Region region = scenario.account("123456789012").region("us-east-1");
        assertThat(region.key("since").lastUsage()).isEqualTo(new LastUsage(NOW.minus(Duration.ofDays(10)), "Decrypt"));
        assertThat(region.key("before").lastUsage()).isEqualTo(LastUsage.NONE);
        assertThat(region.key("never").lastUsage()).isEqualTo(LastUsage.NONE);
    }

    @Test
    void aDefaultNextRotationIsAfterLoadTimeEvenWhenAPeriodEndsExactlyThen() {
        Scenario scenario = ScenarioDefaults.complete(READER.parse("""
                {"accounts": [{"id": "123456789012", "regions": {"us-east-1": {"keys": [
                  {"id": "year-old", "createdAt": "-365d", "rotation": {"enabled": true}},
                  {"id": "younger", "createdAt": "-100d", "rotation": {"enabled": true, "periodDays": 90}}
                ]}}}]}
                """), NOW);
        Scenario.Region region = scenario.account("123456789012").region("us-east-1");
        assertThat(region.key("year-old").rotation().nextRotationAt()).isEqualTo(NOW.plus(Duration.ofDays(365)));
        assertThat(region.key("younger").rotation().nextRotationAt()).isEqualTo(NOW.plus(Duration.ofDays(80)));
    }

    @Test
    void completionFillsIdsAndDefaultsTheSameWayEveryTime() {
        Scenario raw = READER.parse("""
                seed: 9
                accounts:
                  - id: "123456789012"
                    regions:
                      us-east-1:
                        keys:
                          - {}
                          - {manager: AWS, aliases: [alias/aws/ebs]}
                          - {multiRegion: {type: PRIMARY}}
                """);
        Scenario first = ScenarioDefaults.complete(raw, NOW);
        Scenario second = ScenarioDefaults.complete(raw, NOW);
        assertThat(first).isEqualTo(second);

        Scenario.Region region = first.account("123456789012").region("us-east-1");
        Key customer = region.keys().get(0);
        assertThat(customer.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(customer.createdAt()).isEqualTo(NOW.minus(Duration.ofDays(365)));
        assertThat(customer.rotation().enabled()).isFalse();
        assertThat(customer.usage()).isEqualTo(Scenario.KeyUsage.ENCRYPT_DECRYPT);
        Key awsManaged = region.keys().get(1);
        assertThat(awsManaged.manager()).isEqualTo(KeyManager.AWS);
        assertThat(awsManaged.rotation().periodDays()).isEqualTo(365);
        assertThat(awsManaged.description()).isEqualTo("Default key that protects my EBS data when no other key is defined");
        assertThat(region.keys().get(2).id()).matches("mrk-[0-9a-f]{32}");
        assertThat(region.trackingStartDate()).isEqualTo(NOW.minus(Duration.ofDays(180)));
        assertThat(first.hubAccountId()).isEqualTo("111111111111");
    }

    @Test
    void keyFaultsAreReadByName() {
        Scenario scenario = READER.parse("""
                accounts:
                  - id: "123456789012"
                    regions:
                      us-east-1:
                        keys:
                          - id: lagging
                            faults: {denyDescribeKey: false, denyGetKeyLastUsage: true, getKeyLastUsageUnsupported: false,
                                     rotationsLag: true}
                          - {id: plain}
                """);
        Scenario.Region region = scenario.account("123456789012").region("us-east-1");
        assertThat(region.key("lagging").faults()).isEqualTo(new Scenario.KeyFaults(false, true, false, true));
        assertThat(region.key("plain").faults()).isEqualTo(Scenario.KeyFaults.NONE);
    }

    @Test
    void typosAndBadAccountIdsFailLoudly() {
        assertThatThrownBy(() -> READER.parse("accounts: [{id: \"123456789012\", regons: {}}]"))
                .hasMessageContaining("regons");
        assertThatThrownBy(() -> ScenarioDefaults.complete(READER.parse("accounts: [{id: 12345}]"), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 digits");
        assertThatThrownBy(() -> READER.read("no-such-scenario")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScenarioDefaults.complete(READER.parse("""
                accounts: [{id: "123456789012", regions: {us-east-1: {keys: [
                  {id: imported, origin: EXTERNAL, rotation: {enabled: true, rotations: 1}}]}}}]"""), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key imported has imported key material");
    }

    @Test
    void theDemoOrganisationHasEveryFindingAndADisabledRegion() {
        Scenario demo = ScenarioDefaults.complete(READER.read("demo"), NOW);
        assertThat(demo.accounts()).extracting(Scenario.Account::id)
                .containsExactly("100000000000", "100000000001", "100000000002", "100000000003");
        assertThat(demo.account("100000000000").regions()).as("the management account holds no keys").isEmpty();
        assertThat(demo.accounts().subList(1, 4)).allSatisfy(a -> assertThat(a.regions().values().stream()
                .mapToInt(r -> r.keys().size()).sum()).isBetween(14, 25));
        // The members come in through an organisation: prod and staging under workloads, sandbox beside it.
        Scenario.Organization organization = demo.organizations().get(0);
        assertThat(demo.organizations()).hasSize(1);
        assertThat(organization.managementAccountId()).isEqualTo("100000000000");
        assertThat(organization.units()).extracting(Scenario.OrganizationalUnit::name)
                .containsExactly("workloads", "sandbox");
        assertThat(organization.units().get(0).units()).extracting(Scenario.OrganizationalUnit::accounts)
                .containsExactly(java.util.List.of("100000000001"), java.util.List.of("100000000002"));
        assertThat(organization.units().get(1).accounts()).containsExactly("100000000003");
        assertThat(demo.account("100000000003").disabledRegions()).containsExactly("eu-west-1");

        var keys = demo.accounts().stream().flatMap(a -> a.regions().values().stream())
                .flatMap(r -> r.keys().stream()).toList();
        Instant window = NOW.minus(Duration.ofDays(90));
        var customer = keys.stream().filter(k -> k.manager() == KeyManager.CUSTOMER).toList();
        assertThat(keys).anyMatch(k -> k.manager() == KeyManager.AWS && k.aliases().get(0).startsWith("alias/aws/"));
        assertThat(customer).as("unused").anyMatch(k -> k.createdAt().isBefore(window) && !k.tags().containsKey("unusd")
                && (!k.lastUsage().present() || k.lastUsage().at().isBefore(window)) && k.cloudTrail().isEmpty());
        assertThat(customer).as("rotation disabled").anyMatch(k -> k.rotatable() && !k.rotation().enabled()
                && k.state() != Scenario.KeyState.PendingDeletion);
        assertThat(customer).as("period too long").anyMatch(k -> k.rotation().enabled() && k.rotation().periodDays() > 365);
        assertThat(customer).as("pending deletion in use").anyMatch(k -> k.state() == Scenario.KeyState.PendingDeletion
                && k.lastUsage().present() && k.lastUsage().at().isAfter(NOW.minus(Duration.ofDays(30))));
        assertThat(customer).as("exempt").anyMatch(k -> "true".equals(k.tags().get("unusd")));
        assertThat(customer).as("used only in CloudTrail").anyMatch(k -> !k.lastUsage().present()
                && k.cloudTrail().stream().anyMatch(e -> e.errorCode() == null && e.at().isAfter(window)));
    }
}
