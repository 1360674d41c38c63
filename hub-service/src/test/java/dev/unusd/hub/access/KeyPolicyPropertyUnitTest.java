package dev.unusd.hub.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/**
 * Properties over generated key policies (seeded, so a failure repeats): a policy that lets no principal outside the
 * trust in is never a finding, whatever conditions, Deny statements and unknown elements it adds; and a Deny statement
 * never adds an exposure.
 */
class KeyPolicyPropertyUnitTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEY = "111122223333";
    private static final String REGISTERED = "444455556666";
    private static final String THIRD_PARTY = "777788889999";
    private static final String OUTSIDE = "999988887777";
    private static final String ORG = "o-tenant12345";
    private static final Trust TRUST = new Trust(Set.of(KEY, REGISTERED, THIRD_PARTY), Set.of(ORG));
    private static final List<String> TRUSTED = List.of(KEY, REGISTERED, THIRD_PARTY);
    private static final List<Object> ACTIONS = List.of("kms:*", "kms:Decrypt", "kms:Get*", "*", "kms:DescribeKey",
            List.of("kms:Encrypt", "kms:ReEncrypt*"), "s3:GetObject", "kms:CreateGrant");
    private static final int POLICIES = 3000;

    @Test
    void aPolicyThatAdmitsNoOutsidePrincipalIsNeverAFinding() {
        Random random = new Random(20261206L);
        for (int i = 0; i < POLICIES; i++) {
            List<Object> statements = new ArrayList<>();
            int allows = 1 + random.nextInt(4);
            for (int s = 0; s < allows; s++) {
                statements.add(trustedAllow(random));
            }
            for (int s = random.nextInt(3); s > 0; s--) {
                statements.add(anyDeny(random));
            }
            List<Grant> grants = new ArrayList<>();
            for (int g = random.nextInt(3); g > 0; g--) {
                grants.add(new Grant("g" + g, null, trustedGrantee(random), null, List.of("Decrypt"), KEY,
                        random.nextBoolean()));
            }
            String policy = JSON.writeValueAsString(Map.of("Version", "2012-10-17", "Statement", statements));
            Exposure exposure = Exposure.judge(KeyPolicyEvaluator.evaluate(policy, grants), TRUST);

            assertThat(exposure.publicAccess()).as(policy).isEmpty();
            assertThat(exposure.outside()).as(policy).isEmpty();
        }
    }

    @Test
    void aDenyStatementNeverAddsAnExposure() {
        Random random = new Random(7L);
        for (int i = 0; i < POLICIES; i++) {
            List<Object> statements = new ArrayList<>();
            for (int s = 1 + random.nextInt(3); s > 0; s--) {
                statements.add(random.nextBoolean() ? trustedAllow(random) : anyAllow(random));
            }
            String before = JSON.writeValueAsString(Map.of("Statement", statements));
            statements.add(anyDeny(random));
            String after = JSON.writeValueAsString(Map.of("Statement", statements));

            Exposure without = Exposure.judge(KeyPolicyEvaluator.evaluate(before, List.of()), TRUST);
            Exposure with = Exposure.judge(KeyPolicyEvaluator.evaluate(after, List.of()), TRUST);
            assertThat(with.publicAccess().size()).as(after).isLessThanOrEqualTo(without.publicAccess().size());
            if (without.publicAccess().isEmpty()
                    && without.outside().stream().noneMatch(e -> e.outsideAccounts().isEmpty())) {
                // Anyone, or any account through a service, includes every account: a Deny may narrow it to a few.
                assertThat(outsideAccounts(with)).as(after).isSubsetOf(outsideAccounts(without));
            }
        }
    }

    private static Set<String> outsideAccounts(Exposure exposure) {
        Set<String> accounts = new TreeSet<>();
        exposure.outside().forEach(e -> accounts.addAll(e.outsideAccounts()));
        return accounts;
    }

    /** An Allow whose callers are all trusted, however it is written; extra conditions only narrow further. */
    private static Map<String, Object> trustedAllow(Random random) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Allow");
        Map<String, Map<String, Object>> condition = new LinkedHashMap<>();
        String account = pick(random, TRUSTED);
        switch (random.nextInt(7)) {
            case 0 -> statement.put("Principal", Map.of("AWS", "arn:aws:iam::" + account + ":root"));
            case 1 -> statement.put("Principal", Map.of("AWS", List.of(account, "arn:aws:iam::" + account + ":role/r")));
            case 2 -> {
                statement.put("Principal", random.nextBoolean() ? "*" : Map.of("AWS", "*"));
                condition.computeIfAbsent(pick(random, List.of("StringEquals", "StringEqualsIfExists",
                        "ForAnyValue:StringEquals")), k -> new LinkedHashMap<>())
                        .put(pick(random, List.of("kms:CallerAccount", "aws:PrincipalAccount")), account);
            }
            case 3 -> {
                statement.put("Principal", "*");
                condition.computeIfAbsent("StringEquals", k -> new LinkedHashMap<>()).put("aws:PrincipalOrgID", ORG);
            }
            case 4 -> {
                statement.put("Principal", Map.of("Service", "cloudtrail.amazonaws.com"));
                condition.computeIfAbsent("StringEquals", k -> new LinkedHashMap<>())
                        .put(random.nextBoolean() ? "aws:SourceAccount" : "aws:SourceArn", random.nextBoolean()
                                ? account : "arn:aws:cloudtrail:eu-west-1:" + account + ":trail/t");
            }
            case 5 -> statement.put("Principal", Map.of("AWS", "AROAEXAMPLEID12345678"));
            default -> {
                statement.put("Principal", "*");
                condition.computeIfAbsent("ArnLike", k -> new LinkedHashMap<>())
                        .put("aws:PrincipalArn", "arn:aws:iam::" + account + ":role/*");
            }
        }
        statement.put("Action", pick(random, ACTIONS));
        statement.put("Resource", "*");
        // Conditions an Allow ANDs in: wildcards, variables and unknown keys among them.
        for (int extra = random.nextInt(3); extra > 0; extra--) {
            switch (random.nextInt(5)) {
                case 0 -> condition.computeIfAbsent("StringEquals", k -> new LinkedHashMap<>())
                        .put("kms:ViaService", "s3.eu-west-1.amazonaws.com");
                case 1 -> condition.computeIfAbsent("StringLike", k -> new LinkedHashMap<>())
                        .put("aws:PrincipalArn", "arn:aws:iam::*:role/${aws:username}");
                case 2 -> condition.computeIfAbsent("StringEquals", k -> new LinkedHashMap<>()).put("aws:Unheard", "x");
                case 3 -> condition.computeIfAbsent("FancyNewOperator", k -> new LinkedHashMap<>())
                        .put("kms:CallerAccount", OUTSIDE);
                default -> condition.computeIfAbsent("Bool", k -> new LinkedHashMap<>())
                        .put("aws:SecureTransport", "true");
            }
        }
        if (!condition.isEmpty()) {
            statement.put("Condition", condition);
        }
        return statement;
    }

    /** An Allow of any kind, outside accounts and anyone included. */
    private static Map<String, Object> anyAllow(Random random) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Allow");
        statement.put("Principal", pick(random, List.of("*", Map.of("AWS", OUTSIDE), Map.of("AWS",
                "arn:aws:iam::" + OUTSIDE + ":role/p"), Map.of("Service", "sns.amazonaws.com"),
                Map.of("AWS", List.of(KEY, OUTSIDE)))));
        statement.put("Action", pick(random, ACTIONS));
        statement.put("Resource", "*");
        if (random.nextBoolean()) {
            statement.put("Condition", Map.of("StringEquals", Map.of(pick(random, List.of("kms:CallerAccount",
                    "aws:SourceAccount", "aws:PrincipalOrgID")), pick(random, List.of(KEY, OUTSIDE, ORG)))));
        }
        return statement;
    }

    /** A Deny of any kind: it must never let anyone in. */
    private static Map<String, Object> anyDeny(Random random) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Deny");
        Object principal = pick(random, List.of("*", Map.of("AWS", OUTSIDE), Map.of("AWS", "arn:aws:iam::" + KEY
                + ":root"), Map.of("AWS", List.of("arn:aws:iam::" + OUTSIDE + ":root", OUTSIDE))));
        statement.put(random.nextInt(4) == 0 ? "NotPrincipal" : "Principal", principal);
        statement.put(random.nextInt(4) == 0 ? "NotAction" : "Action", pick(random, ACTIONS));
        statement.put("Resource", "*");
        switch (random.nextInt(6)) {
            case 0 -> statement.put("Condition", Map.of("StringNotEquals", Map.of("aws:PrincipalOrgID", ORG)));
            case 1 -> statement.put("Condition", Map.of("StringNotEquals", Map.of(pick(random,
                    List.of("kms:CallerAccount", "aws:SourceAccount")), pick(random, List.of(KEY, OUTSIDE)))));
            case 2 -> statement.put("Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")));
            case 3 -> statement.put("Condition", Map.of("StringEquals", Map.of("aws:Unheard", "x")));
            case 4 -> statement.put("Surprise", true);
            default -> {
            }
        }
        return statement;
    }

    private static String trustedGrantee(Random random) {
        return pick(random, List.of("arn:aws:iam::" + pick(random, TRUSTED) + ":role/app", KEY,
                "rds.eu-west-1.amazonaws.com", "AIDAEXAMPLEID12345678"));
    }

    @SuppressWarnings("unchecked")
    private static <T> T pick(Random random, List<? extends T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
