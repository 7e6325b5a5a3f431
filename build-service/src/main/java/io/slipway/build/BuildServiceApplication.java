package io.slipway.build;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Entry point of the Slipway build-service. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class BuildServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(BuildServiceApplication.class, args);
  }
}
