package io.slipway.runtime.deploy;

import io.slipway.runtime.RuntimeProperties;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.rollout.HealthProbe;
import io.slipway.runtime.rollout.Rollout;
import io.slipway.runtime.router.Router;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The rollout, routing each app on its own host and its custom domains (a function's through the
 * invoker).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
  ScaleToZeroProperties.class,
  AutoscaleProperties.class,
  FunctionProperties.class
})
class DeployConfig {

  @Bean
  Rollout rollout(
      RuntimeDriver driver,
      Router router,
      RenderSettings settings,
      AppConfigStore configs,
      RuntimeProperties properties,
      FunctionImages functions,
      ActivatorEndpoint invoker) {
    return new Rollout(
        driver,
        router,
        new HealthProbe(),
        ref -> {
          List<String> hosts = new ArrayList<>(List.of(settings.host(ref)));
          // only domains proven to be the app's own
          hosts.addAll(configs.verifiedDomains(ref));
          return hosts;
        },
        properties.healthTimeout(),
        properties.drainTime(),
        properties.releaseTimeout(),
        // a function's hosts go to the invoker, which sends each invocation to one instance
        spec -> functions.runtime(spec).map(runtime -> invoker.invocation(spec.ref().appId())));
  }
}
