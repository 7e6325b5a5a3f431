package io.slipway.runtime.deploy;

import io.slipway.runtime.domain.NameResolver;
import io.slipway.runtime.domain.TxtResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The API tests' DNS: names a test points somewhere resolve there, every other name has no record
 * (the tests never ask the real DNS). The HTTP proof connects to what {@link #point} says, the DNS
 * proof reads what {@link #txt} says.
 */
final class TestDns {

  private static final Map<String, List<InetAddress>> ADDRESSES = new ConcurrentHashMap<>();
  private static final Map<String, List<String>> TXT = new ConcurrentHashMap<>();

  private TestDns() {}

  /** {@code name} resolves to {@code address} (e.g. the test router's 127.0.0.1). */
  static void point(String name, String address) {
    try {
      ADDRESSES.put(name, List.of(InetAddress.getByName(address)));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
  }

  static void txt(String name, String value) {
    TXT.put(name, List.of(value));
  }

  static void forget(String name) {
    ADDRESSES.remove(name);
    TXT.remove(name);
    TXT.remove("_slipway-challenge." + name);
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class Config {

    @Bean
    @Primary
    NameResolver testNameResolver() {
      return host -> {
        List<InetAddress> found = ADDRESSES.get(host);
        if (found == null) {
          throw new UnknownHostException(host);
        }
        return found;
      };
    }

    @Bean
    @Primary
    TxtResolver testTxtResolver() {
      return name -> TXT.getOrDefault(name, List.of());
    }
  }
}
