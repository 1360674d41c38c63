package dev.unusd.hub.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import dev.unusd.hub.aws.HubPrincipal;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.Page;

/** A request answered 503 because the hub's principal is unknown must not have written anything. */
class AccountWritesUnitTest {

    final AccountService accounts = mock(AccountService.class);
    final HubPrincipal principal = mock(HubPrincipal.class);
    final AccountController controller = new AccountController(accounts,
            new OnboardingLinks("https://hub.example.test", "", principal));

    static final ApiException UNKNOWN = new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
            "The hub's AWS principal is unknown: set HUB_PRINCIPAL to the hub's account id or role ARN");

    @Test
    void aRegistrationAnswered503RegistersNothingAndItsRetrySucceeds() {
        when(principal.value()).thenThrow(UNKNOWN).thenReturn("111111111111");
        when(accounts.register("123456789012", "payments", null, null)).thenReturn(OnboardingLinksUnitTest.ACCOUNT);
        AccountController.RegisterAccount request = new AccountController.RegisterAccount("123456789012", " payments ",
                null, null);

        assertThatThrownBy(() -> controller.register(request)).isSameAs(UNKNOWN);
        verifyNoInteractions(accounts);

        ResponseEntity<AccountController.AccountView> retried = controller.register(request);
        assertThat(retried.getStatusCode().value()).isEqualTo(201);
        assertThat(retried.getBody().onboarding().cliCommand()).contains("ParameterValue=111111111111");
        verify(accounts).register("123456789012", "payments", null, null);
    }

    @Test
    void readsNeedThePrincipalOnlyWhenThereAreLinksToFillIn() {
        when(principal.value()).thenThrow(UNKNOWN);
        when(accounts.list(50, null)).thenReturn(new Page<>(List.of(), null));
        when(accounts.get(OnboardingLinksUnitTest.ACCOUNT.id())).thenReturn(OnboardingLinksUnitTest.ACCOUNT);

        assertThat(controller.list(50, null).items()).isEmpty();
        assertThatThrownBy(() -> controller.get(OnboardingLinksUnitTest.ACCOUNT.id())).isSameAs(UNKNOWN);
    }

    @Test
    void aChangeAnswered503ChangesNothing() {
        when(principal.value()).thenThrow(UNKNOWN);

        assertThatThrownBy(() -> controller.update(OnboardingLinksUnitTest.ACCOUNT.id(),
                new AccountController.UpdateAccount("renamed", List.of("us-east-1"), false))).isSameAs(UNKNOWN);
        verify(accounts, never()).update(any(), any(), any(), any());
    }
}
