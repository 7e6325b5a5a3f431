package io.slipway.runtime;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the Slipway runtime-bridge. */
@SpringBootApplication
public class RuntimeBridgeApplication {

  public static void main(String[] args) {
    SpringApplication.run(RuntimeBridgeApplication.class, args);
  }
}
