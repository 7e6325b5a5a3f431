package io.slipway.runtime;

import io.slipway.kit.security.ApiSecurity;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A stateless OAuth2 resource server: every call but health carries a Keycloak JWT whose issuer,
 * signature, expiry and audience ({@code slipway}) are checked, as in every Slipway service.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    return ApiSecurity.jwtApi(http);
  }
}
