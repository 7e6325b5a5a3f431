package io.slipway.build;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the Slipway build-service. */
@SpringBootApplication
public class BuildServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(BuildServiceApplication.class, args);
  }
}
