package io.slipway.runtime.vm;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds {@code slipway.runtime.vm.*} into the {@link VmSettings} VMs run with. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(VmProperties.class)
class VmConfig {

  @Bean
  VmSettings vmSettings(
      VmProperties properties,
      @Value("${slipway.runtime.admission.build-image-prefix:localhost}") String buildImagePrefix) {
    return properties.settings(buildImagePrefix);
  }
}
