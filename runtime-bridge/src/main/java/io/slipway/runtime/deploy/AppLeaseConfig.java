package io.slipway.runtime.deploy;

import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The apps' leases across replicas (table {@code app_lease}, migration V79). */
@Configuration(proxyBeanMethods = false)
class AppLeaseConfig {

  /**
   * How long a replica's lease outlives the replica: the time its apps wait after it dies. Renewed
   * every 10 s while held, so only a database unreachable for 30 s loses a lease still in use.
   */
  static final Duration TTL = Duration.ofSeconds(30);

  @Bean(destroyMethod = "close")
  AppLeases appLeases(JdbcClient jdbc) {
    return new AppLeases(jdbc, TTL);
  }
}
