package io.slipway.tenant;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * tenant-service: the source of truth for tenants, projects, apps, memberships, quotas, usage and
 * the audit log.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TenantServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(TenantServiceApplication.class, args);
  }
}
