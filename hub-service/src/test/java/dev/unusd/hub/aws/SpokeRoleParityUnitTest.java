package dev.unusd.hub.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.unusd.spokerole.SpokeRoleTemplate;

/** The hub calls exactly what the spoke-role templates grant: no call customers' roles would deny, no idle grant. */
class SpokeRoleParityUnitTest {

    @Test
    void spokeRoleGrantsExactlyTheActionsTheHubCalls() {
        assertThat(SpokeRoleTemplate.spokeRole().allowedActions()).containsExactlyInAnyOrderElementsOf(
                SpokeAction.iamActions());
        assertThat(SpokeAction.iamActions()).containsExactlyInAnyOrderElementsOf(
                SpokeRoleTemplate.spokeRole().allowedActions());
    }

    @Test
    void stackSetRolesGrantExactlyTheActionsTheHubCalls() {
        assertThat(SpokeRoleTemplate.stackSet().allowedActions()).containsExactlyInAnyOrderElementsOf(
                SpokeAction.iamActions());
    }
}
