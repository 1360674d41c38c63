package dev.unusd.hub.demo;

import java.net.URI;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.unusd.hub.organization.OrganizationApi;

/**
 * Profile {@code demo}: once the hub is up, onboard the simulated organisation and print what a newcomer needs
 * to look at the findings: the API key (printed to the console, never logged) and ready-to-paste curl lines.
 */
@Component
@Profile("demo")
class DemoMode {

    private final DemoOrganisation demo;
    private final URI simulator;
    private final String tenantName;
    private final String publicUrl;
    private final String adminToken;

    DemoMode(DemoOrganisation demo, @Value("${hub.demo.simulator-url}") URI simulator,
            @Value("${hub.demo.tenant-name}") String tenantName, @Value("${hub.public-url}") String publicUrl,
            @Value("${hub.admin-token}") String adminToken) {
        this.demo = demo;
        this.simulator = simulator;
        this.tenantName = tenantName;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        this.adminToken = adminToken;
    }

    private static String describe(OrganizationApi.SyncOutcome sync) {
        return "sync " + sync.status() + ": " + sync.added() + " added, " + sync.verified() + " verified"
                + (sync.errors().isEmpty() ? "" : ", " + sync.errors().size() + " errors (see the log)");
    }

    @EventListener(ApplicationReadyEvent.class)
    void onboard() {
        DemoOrganisation.Onboarded onboarded = demo.onboard(simulator, tenantName);
        String auth = "-H 'Authorization: Bearer " + onboarded.apiKey() + "'";
        String banner = """

                ================================ unusd demo ================================
                Tenant %s: %d simulated AWS accounts registered by a sync of their organisation (%s):
                  %s
                First scan started: %s
                API key (shown once): %s
                Admin token (demo only): %s
                Dashboard: %s/ (sign in with the API key)

                  curl -s %s %s/api/v1/scans/%s
                  curl -s %s '%s/api/v1/findings?limit=20'
                  curl -s %s %s/api/v1/summary
                  curl -s %s %s/api/v1/organizations
                  curl -s %s -H 'Accept: text/csv' %s/api/v1/findings
                  open %s/swagger-ui.html
                ============================================================================
                """.formatted(tenantName, onboarded.accounts().size(),
                String.join("; ", onboarded.syncs().stream().map(DemoMode::describe).toList()),
                String.join("\n  ", onboarded.verifications()),
                onboarded.scanId(), onboarded.apiKey(), adminToken, publicUrl,
                auth, publicUrl, onboarded.scanId(), auth, publicUrl, auth, publicUrl, auth, publicUrl, auth, publicUrl,
                publicUrl);
        System.out.println(banner);
    }
}
