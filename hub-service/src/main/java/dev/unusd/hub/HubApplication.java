package dev.unusd.hub;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Bean;

import dev.unusd.hub.db.DatabaseBootstrap;
import dev.unusd.hub.db.DatabaseChoice;

// Callers are API keys and the admin token, never users with passwords: no generated default user.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class HubApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(HubApplication.class);
        // Which server first (it may start the embedded one), then the database in it.
        app.addInitializers(new DatabaseChoice(), new DatabaseBootstrap());
        app.run(args);
    }

    /** The time a scan judges at; tests replay histories on a clock of their own. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
