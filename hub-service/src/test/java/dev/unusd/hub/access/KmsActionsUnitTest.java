package dev.unusd.hub.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.kms.KmsClient;

/** How a policy's Action and NotAction patterns expand to KMS actions, as IAM reads them. */
class KmsActionsUnitTest {

    @Test
    void aNameMatchesItsActionWhateverItsCase() {
        assertThat(KmsActions.matching(List.of("kms:Decrypt"))).containsExactly("kms:Decrypt");
        assertThat(KmsActions.matching(List.of("KMS:decrypt", "kms:ENCRYPT")))
                .containsExactly("kms:Decrypt", "kms:Encrypt");
    }

    @Test
    void aKmsActionNotYetKnownStaysAsWrittenAndOtherServicesMatchNothing() {
        assertThat(KmsActions.matching(List.of("kms:FutureOperation"))).containsExactly("kms:FutureOperation");
        assertThat(KmsActions.matching(List.of("s3:GetObject", "s3:*", "iam:Pass?ole"))).isEmpty();
    }

    @Test
    void wildcardsMatchEveryActionTheirPatternCovers() {
        assertThat(KmsActions.matching(List.of("*"))).isEqualTo(KmsActions.ALL);
        assertThat(KmsActions.matching(List.of("kms:*"))).isEqualTo(KmsActions.ALL);
        Set<String> gets = KmsActions.ALL.stream().filter(a -> a.startsWith("kms:Get")).collect(Collectors.toSet());
        assertThat(KmsActions.matching(List.of("KMS:get*"))).isEqualTo(gets).contains("kms:GetKeyPolicy");
        assertThat(KmsActions.matching(List.of("kms:ReEncrypt*"))).containsExactly("kms:ReEncryptFrom",
                "kms:ReEncryptTo");
        assertThat(KmsActions.matching(List.of("kms:?ncrypt"))).containsExactly("kms:Encrypt");
        // A wildcard that covers no known action adds nothing: it is not a name.
        assertThat(KmsActions.matching(List.of("kms:Nothing*"))).isEmpty();
    }

    @Test
    void aWildcardExpandsTheSameEveryTimeWhateverTheCallerDidWithAnEarlierExpansion() {
        Set<String> first = KmsActions.matching(List.of("kms:Get*"));
        first.clear(); // the evaluator subtracts Deny statements from what it gets
        assertThat(KmsActions.matching(List.of("kms:Get*"))).contains("kms:GetKeyPolicy")
                .hasSize((int) KmsActions.ALL.stream().filter(a -> a.startsWith("kms:Get")).count());
        assertThat(KmsActions.matching(List.of("kms:Get*", "kms:Decrypt"))).contains("kms:GetKeyPolicy", "kms:Decrypt");
    }

    @Test
    void notActionIsEverythingElse() {
        Set<String> rest = KmsActions.except(List.of("kms:Decrypt", "kms:Get*"));
        assertThat(rest).doesNotContain("kms:Decrypt", "kms:GetKeyPolicy").contains("kms:Encrypt");
        assertThat(rest).hasSize(KmsActions.ALL.size() - 1
                - (int) KmsActions.ALL.stream().filter(a -> a.toLowerCase(Locale.ROOT).startsWith("kms:get")).count());
    }

    @Test
    void everyOperationOfTheSdksKmsModelIsAKnownAction() {
        // IAM names an operation's action after it; ReEncrypt is authorised as ReEncryptFrom and ReEncryptTo.
        Set<String> operations = Arrays.stream(KmsClient.class.getMethods())
                .filter(m -> m.getParameterCount() == 1 && m.getParameterTypes()[0].getSimpleName().endsWith("Request")
                        && m.getReturnType().getSimpleName().endsWith("Response"))
                .map(m -> "kms:" + Character.toUpperCase(m.getName().charAt(0)) + m.getName().substring(1))
                .filter(a -> !a.equals("kms:ReEncrypt"))
                .collect(Collectors.toSet());
        assertThat(operations).contains("kms:Decrypt", "kms:Decapsulate", "kms:Encapsulate");
        assertThat(KmsActions.ALL).containsAll(operations);
    }
}
