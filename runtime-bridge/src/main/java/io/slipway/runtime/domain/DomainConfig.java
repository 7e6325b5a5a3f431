package io.slipway.runtime.domain;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the proofs of custom domains: the HTTP check (through {@link NameResolver}) first, the DNS
 * TXT record (through {@link TxtResolver}) second. Tests replace either resolver with a
 * {@code @Primary} bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DomainProperties.class)
class DomainConfig {

  @Bean
  NameResolver nameResolver() {
    return NameResolver.SYSTEM;
  }

  @Bean
  TxtResolver txtResolver(DomainProperties properties) {
    return new JndiTxtResolver(properties.checkTimeout());
  }

  @Bean
  DomainProof domainProof(DomainProperties properties, NameResolver names, TxtResolver txt) {
    return new AnyProof(
        List.of(
            new HttpDomainProof(
                names,
                routerAddresses(properties.routerAddresses()),
                properties.challengePort(),
                properties.checkTimeout()),
            new DnsTxtProof(txt)));
  }

  /**
   * The names no tenant may claim: the apps domain's parent (the platform's base domain), the
   * configured platform hosts, and the hosts of the identity provider and tenant-service.
   */
  @Bean
  PlatformDomains platformDomains(
      DomainProperties properties,
      @Value("${slipway.runtime.domain:localhost}") String baseDomain,
      @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri:}") String issuer,
      @Value("${slipway.runtime.tenant-api-url:}") String tenantApi) {
    List<String> names = new ArrayList<>(List.of(baseDomain));
    names.addAll(properties.platformHosts());
    for (String url : List.of(issuer, tenantApi)) {
      if (!url.isBlank() && URI.create(url).getHost() != null) {
        names.add(URI.create(url).getHost());
      }
    }
    return new PlatformDomains(names);
  }

  /** Fails start-up naming the setting when an entry is not an IP address. */
  private static Set<InetAddress> routerAddresses(List<String> literals) {
    Set<InetAddress> addresses = new LinkedHashSet<>();
    for (String literal : literals) {
      if (literal.isBlank()) {
        continue;
      }
      if (!literal.strip().matches("[0-9a-fA-F:.]+")) {
        throw new IllegalArgumentException(
            "slipway.runtime.domains.router-addresses: '" + literal + "' is not an IP address");
      }
      try {
        addresses.add(InetAddress.getByName(literal.strip()));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            "slipway.runtime.domains.router-addresses: '" + literal + "' is not an IP address", e);
      }
    }
    return addresses;
  }
}
