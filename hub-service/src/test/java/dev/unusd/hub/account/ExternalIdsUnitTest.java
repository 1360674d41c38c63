package dev.unusd.hub.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.unusd.spokerole.SpokeRoleTemplate;

class ExternalIdsUnitTest {

    @Test
    void externalIdsAreLongUniqueAndAcceptedByTheTemplatesPattern() {
        @SuppressWarnings("unchecked")
        var parameters = (java.util.Map<String, java.util.Map<String, Object>>) SpokeRoleTemplate.spokeRole().document()
                .get("Parameters");
        Pattern allowed = Pattern.compile((String) parameters.get("ExternalId").get("AllowedPattern"));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = ExternalIds.generate();
            assertThat(id).matches("unusd-[0-9A-Za-z]{40}");
            assertThat(allowed.matcher(id).matches()).isTrue();
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }
}
