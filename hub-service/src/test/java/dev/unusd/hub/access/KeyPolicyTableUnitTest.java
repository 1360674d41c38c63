package dev.unusd.hub.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The table of key policies and grants in {@code access/key-policies.json}, each with the audience AWS's documentation
 * of its elements, operators and condition keys gives it: public or not, and which outside accounts it lets in. A
 * verdict is true (a finding), false (none) or UNDECIDED (neither: something was not read or not understood).
 */
class KeyPolicyTableUnitTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode TABLE = load();

    private static JsonNode load() {
        try (InputStream in = KeyPolicyTableUnitTest.class.getResourceAsStream("/access/key-policies.json")) {
            return JSON.readTree(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        TABLE.get("cases").forEach(c -> cases.add(Arguments.of(c.get("name").asString(), c)));
        return cases.stream();
    }

    @Test
    void theTableHasAtLeastFiftyCases() {
        assertThat(TABLE.get("cases").size()).isGreaterThanOrEqualTo(50);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judgesEachPolicyAsIamWould(String name, JsonNode c) {
        KeyAccess access = evaluate(c);
        Exposure exposure = Exposure.judge(access, trust(c));

        assertThat(verdict(!exposure.publicAccess().isEmpty(), exposure.publicUndecided()))
                .as("public").isEqualTo(c.get("public").asString());
        assertThat(verdict(!exposure.outside().isEmpty(), exposure.outsideUndecided()))
                .as("cross-account").isEqualTo(c.get("crossAccount").asString());
        if (c.has("outside")) {
            Set<String> expected = new TreeSet<>();
            c.get("outside").forEach(a -> expected.add(a.asString()));
            Set<String> outside = new TreeSet<>();
            exposure.outside().forEach(e -> outside.addAll(e.outsideAccounts()));
            assertThat(outside).as("outside accounts").isEqualTo(expected);
        }
    }

    static KeyAccess evaluate(JsonNode c) {
        String policy = c.has("policyText") ? c.get("policyText").asString()
                : c.has("policy") ? JSON.writeValueAsString(c.get("policy")) : null;
        String policyUnknown = c.has("policyUnknown") ? c.get("policyUnknown").asString() : null;
        List<Grant> grants = null;
        if (!c.has("grantsUnknown")) {
            grants = new ArrayList<>();
            if (c.has("grants")) {
                for (JsonNode g : c.get("grants")) {
                    List<String> operations = new ArrayList<>();
                    g.get("operations").forEach(op -> operations.add(op.asString()));
                    grants.add(new Grant(g.get("grantId").asString(), null, g.get("granteePrincipal").asString(), null,
                            operations, g.get("issuingAccount").asString(), g.get("constraints").asBoolean()));
                }
            }
        }
        String grantsUnknown = c.has("grantsUnknown") ? c.get("grantsUnknown").asString() : null;
        return KeyPolicyEvaluator.evaluate(policy, policyUnknown, grants, grantsUnknown);
    }

    static Trust trust(JsonNode c) {
        Set<String> accounts = new TreeSet<>();
        accounts.add(TABLE.get("keyAccount").asString());
        TABLE.get("registeredAccounts").forEach(a -> accounts.add(a.asString()));
        TABLE.get("trustedAccounts").forEach(a -> accounts.add(a.asString()));
        Set<String> organizations = new TreeSet<>();
        if (c != null && c.has("trustedOrganizations")) {
            c.get("trustedOrganizations").forEach(o -> organizations.add(o.asString()));
        }
        return new Trust(accounts, organizations);
    }

    /** "true" a finding, "false" none, "UNDECIDED" neither. */
    private static String verdict(boolean holds, List<String> undecided) {
        return holds ? "true" : undecided.isEmpty() ? "false" : "UNDECIDED";
    }
}
