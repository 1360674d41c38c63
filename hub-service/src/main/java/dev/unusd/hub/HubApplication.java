package dev.unusd.hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.unusd.hub.db.DatabaseBootstrap;

@SpringBootApplication
@ConfigurationPropertiesScan
public class HubApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(HubApplication.class);
        app.addInitializers(new DatabaseBootstrap());
        app.run(args);
    }
}
