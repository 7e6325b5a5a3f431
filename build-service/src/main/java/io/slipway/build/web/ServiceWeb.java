package io.slipway.build.web;

import io.slipway.kit.validation.Limits;
import io.slipway.kit.web.BodySizeLimit;
import io.slipway.kit.web.OpenStreams;
import io.slipway.kit.web.ProblemErrorPages;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.unit.DataSize;

/**
 * What service-kit gives every service's web layer: request bodies bounded by {@code
 * slipway.http.max-body-size}, event streams bounded per caller, and every error the container
 * answers as a problem detail.
 */
@Configuration(proxyBeanMethods = false)
@Import(ProblemErrorPages.class)
class ServiceWeb {

  /** git pushes and the platform admin's advisory upload have limits of their own. */
  @Bean
  BodySizeLimit bodySizeLimit(@Value("${slipway.http.max-body-size:1MB}") DataSize max) {
    return new BodySizeLimit(max, List.of("/git/", "/api/v1/admin/advisories"));
  }

  @Bean
  OpenStreams openStreams() {
    return new OpenStreams(Limits.OPEN_STREAMS_PER_CALLER);
  }
}
