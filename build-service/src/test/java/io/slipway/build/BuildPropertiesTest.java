package io.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** A bad {@code slipway.build.*} setting stops the service with a message naming the key. */
class BuildPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(BuildProperties.class)
  static class Config {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(Config.class);

  @Test
  void defaultsApplyWhenOnlyTheSecretIsGiven() {
    runner
        .withPropertyValues("slipway.build.client-secret=s3cret")
        .run(
            context -> {
              BuildProperties properties = context.getBean(BuildProperties.class);
              assertThat(properties.deployRef()).isEqualTo("refs/heads/main");
              assertThat(properties.buildNetwork()).isEqualTo("none");
              assertThat(properties.workers()).isEqualTo(2);
              assertThat(properties.runtimeBridgeUrl()).isEmpty();
              assertThat(properties.portalBaseUrl()).isEqualTo("http://127.0.0.1:8080");
              assertThat(properties.logRetention()).isEqualTo(Duration.ofDays(30));
              assertThat(properties.cacheRetention()).isEqualTo(Duration.ofDays(14));
              assertThat(properties.retentionInterval()).isEqualTo(Duration.ofHours(1));
            });
  }

  @Test
  void aMissingSecretOrABadValueFailsStartUp() {
    runner.run(
        context ->
            assertThat(context)
                .getFailure()
                .rootCause()
                .hasMessageContaining("clientSecret")
                .hasMessageContaining("SLIPWAY_BUILD_CLIENT_SECRET"));
    runner
        .withPropertyValues("slipway.build.client-secret=x", "slipway.build.build-network=host")
        .run(
            context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("buildNetwork"));
    runner
        .withPropertyValues(
            "slipway.build.client-secret=x", "slipway.build.portal-url=portal.example.com")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("portalUrl")
                    .hasMessageContaining("must be an http(s) URL"));
  }

  @Test
  void theExecutorIsPodmanUnlessSetAndAnUnknownOneFailsStartUpNamingTheKey() {
    runner
        .withPropertyValues("slipway.build.client-secret=x")
        .run(
            context ->
                assertThat(context.getBean(BuildProperties.class).executor())
                    .isEqualTo(BuildProperties.Executor.PODMAN));
    runner
        .withPropertyValues("slipway.build.client-secret=x", "slipway.build.executor=kubernetes")
        .run(
            context ->
                assertThat(context.getBean(BuildProperties.class).executor())
                    .isEqualTo(BuildProperties.Executor.KUBERNETES));
    runner
        .withPropertyValues("slipway.build.client-secret=x", "slipway.build.executor=docker")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    // as Spring Boot's start-up failure report shows it: the key, then the value
                    .hasStackTraceContaining(
                        "Failed to bind properties under 'slipway.build.executor'")
                    .rootCause()
                    .hasMessageContaining("docker"));
  }

  @Test
  void aRetentionOfNothingFailsStartUpNamingTheKey() {
    runner
        .withPropertyValues("slipway.build.client-secret=x", "slipway.build.cache-retention=0s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessage("slipway.build.cache-retention must be longer than 0, was PT0S"));
  }

  @Test
  void thePortalUrlLosesItsTrailingSlash() {
    runner
        .withPropertyValues(
            "slipway.build.client-secret=x",
            "slipway.build.portal-url=https://slipway.example.com/")
        .run(
            context ->
                assertThat(context.getBean(BuildProperties.class).portalBaseUrl())
                    .isEqualTo("https://slipway.example.com"));
  }
}
