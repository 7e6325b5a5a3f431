package io.slipway.runtime;

import io.slipway.kit.audit.AuditOutboxConfiguration;
import io.slipway.kit.audit.AuditSink;
import io.slipway.kit.audit.TenantServiceAuditSink;
import io.slipway.kit.client.ServiceClients;
import io.slipway.kit.client.TenantService;
import io.slipway.kit.secret.SecretBox;
import io.slipway.kit.security.PersonalAccessTokenVerifier;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.egress.ProjectEgress;
import io.slipway.runtime.podman.Nft;
import io.slipway.runtime.podman.PodmanApi;
import io.slipway.runtime.podman.PodmanDriver;
import io.slipway.runtime.podman.PodmanSettings;
import io.slipway.runtime.podman.ProjectFirewall;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.router.AppLinks;
import io.slipway.runtime.router.CaddyRouter;
import io.slipway.runtime.tenant.ServiceToken;
import io.slipway.runtime.tenant.TenantApi;
import io.slipway.runtime.vm.PodmanVms;
import io.slipway.runtime.vm.VmSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Wires the driver chosen by {@code slipway.runtime.driver} (podman with the Caddy router, the
 * default; or kubernetes with Ingress as router), the secret box and tenant-service.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RuntimeProperties.class)
@EnableScheduling
@Import(AuditOutboxConfiguration.class)
class RuntimeConfig {

  private static final Logger log = LoggerFactory.getLogger(RuntimeConfig.class);
  private static final Duration PODMAN_TIMEOUT = Duration.ofSeconds(60);

  @Bean
  RenderSettings renderSettings(RuntimeProperties properties) {
    RenderSettings defaults = RenderSettings.defaults();
    return new RenderSettings(
        properties.domain(),
        properties.ingressClass(),
        defaults.routerNamespaceLabel(),
        defaults.routerNamespaceValue());
  }

  @Bean
  @ConditionalOnProperty(
      name = "slipway.runtime.driver",
      havingValue = "podman",
      matchIfMissing = true)
  PodmanApi podmanApi(RuntimeProperties properties) {
    String socket = properties.podman().socket();
    return socket.isBlank()
        ? PodmanApi.ownService(PODMAN_TIMEOUT)
        : PodmanApi.at(Path.of(socket), PODMAN_TIMEOUT);
  }

  @Bean
  @ConditionalOnProperty(
      name = "slipway.runtime.driver",
      havingValue = "podman",
      matchIfMissing = true)
  RuntimeDriver runtimeDriver(RuntimeProperties properties, PodmanApi api, ProjectEgress egress) {
    RuntimeProperties.Podman podman = properties.podman();
    RuntimeProperties.Firewall firewall = podman.firewall();
    if (!firewall.enabled()) {
      log.warn(
          "slipway.runtime.podman.firewall.enabled is false: apps can reach this host's services"
              + " and the outside");
    }
    return new PodmanDriver(
        podmanSettings(properties),
        api,
        firewall.enabled()
            ? new ProjectFirewall(firewall.table(), new Nft(firewall.nft()), egress::allowed)
            : null);
  }

  /** VMs run on the podman driver alone (docs/vms.md). */
  @Bean
  @ConditionalOnProperty(
      name = "slipway.runtime.driver",
      havingValue = "podman",
      matchIfMissing = true)
  PodmanVms podmanVms(
      RuntimeProperties properties, PodmanApi api, RuntimeDriver driver, VmSettings settings) {
    return new PodmanVms(api, (PodmanDriver) driver, podmanSettings(properties), settings);
  }

  private static PodmanSettings podmanSettings(RuntimeProperties properties) {
    RuntimeProperties.Podman podman = properties.podman();
    return new PodmanSettings(podman.namePrefix(), podman.pidsLimit(), podman.stopTimeout());
  }

  @Bean
  @ConditionalOnProperty(
      name = "slipway.runtime.driver",
      havingValue = "podman",
      matchIfMissing = true)
  CaddyRouter router(RuntimeProperties properties) {
    return new CaddyRouter(
        properties.caddy().adminSocket(),
        properties.caddy().server(),
        properties.caddy().listen(),
        new AppLinks(properties.portalUrl(), properties.domain()));
  }

  /** Fails start-up with a message naming the setting when a key is missing or malformed. */
  @Bean
  SecretBox secretBox(RuntimeProperties properties) {
    return SecretBox.fromBase64(properties.secretKey(), properties.previousSecretKeys());
  }

  /** runtime-bridge's own token, for tenant-service's quota and token verification. */
  @Bean
  ServiceToken serviceToken(
      RuntimeProperties properties,
      @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri:}") String issuer) {
    return new ServiceToken(issuer, properties.clientId(), properties.clientSecret());
  }

  /** tenant-service's shared client; calls without a caller's token carry runtime-bridge's. */
  @Bean
  TenantService tenantService(RuntimeProperties properties, ServiceToken serviceToken) {
    return ServiceClients.create(TenantService.class, properties.tenantApiUrl(), serviceToken::get);
  }

  @Bean
  TenantApi tenantApi(TenantService tenantService) {
    return new TenantApi(tenantService);
  }

  /** Where the audit outbox's relay delivers: tenant-service, with runtime-bridge's token. */
  @Bean
  AuditSink auditSink(TenantService tenantService) {
    return new TenantServiceAuditSink(tenantService);
  }

  /** Personal access tokens on the API, verified by tenant-service. */
  @Bean
  PersonalAccessTokenVerifier personalAccessTokenVerifier(TenantService tenantService) {
    return new PersonalAccessTokenVerifier(tenantService);
  }

  /** Starts podman's service now rather than on the first deploy, and says so if it cannot. */
  @EventListener(ApplicationReadyEvent.class)
  void preparePodman(ApplicationReadyEvent event) {
    try {
      event.getApplicationContext().getBeanProvider(PodmanApi.class).ifAvailable(PodmanApi::ping);
    } catch (RuntimeException e) {
      log.warn("podman's API does not answer yet: {}", e.getMessage());
    }
  }

  /** Gives Caddy the router's server when it runs; the reconciler tries again otherwise. */
  @EventListener(ApplicationReadyEvent.class)
  void prepareRouter(ApplicationReadyEvent event) {
    RuntimeProperties properties = event.getApplicationContext().getBean(RuntimeProperties.class);
    try {
      event
          .getApplicationContext()
          .getBeanProvider(CaddyRouter.class)
          .ifAvailable(CaddyRouter::ensureServer);
    } catch (RuntimeException e) {
      log.warn("Caddy is not ready at {}: {}", properties.caddy().adminSocket(), e.getMessage());
    }
  }
}
