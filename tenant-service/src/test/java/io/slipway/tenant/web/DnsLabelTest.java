package io.slipway.tenant.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsLabelTest {

  private final DnsLabel.Validator validator = new DnsLabel.Validator();

  @ParameterizedTest(name = "\"{0}\" (max {1}) -> {2}")
  @CsvSource({
    "acme, 20, true",
    "a, 20, true",
    "0day, 20, true",
    "my-shop-2, 20, true",
    "abcdefghijklmnopqrst, 20, true",
    "abcdefghijklmnopqrstu, 20, false",
    "abcdefghijklmnopqrstu, 21, true",
    "Acme, 20, false",
    "-acme, 20, false",
    "acme-, 20, false",
    "ac--me, 20, false",
    "a-c-m-e, 20, true",
    "ac_me, 20, false",
    "ac.me, 20, false",
    "'', 20, false",
    "' acme', 20, false",
  })
  void acceptsExactlyDns1123LabelsWithinTheLimit(String value, int max, boolean valid) {
    validator.initialize(limit(max));
    assertThat(validator.isValid(value, null)).isEqualTo(valid);
  }

  private static DnsLabel limit(int max) {
    return new DnsLabel() {
      @Override
      public int max() {
        return max;
      }

      @Override
      public String message() {
        return "";
      }

      @Override
      public Class<?>[] groups() {
        return new Class<?>[0];
      }

      @SuppressWarnings("unchecked")
      @Override
      public Class<? extends jakarta.validation.Payload>[] payload() {
        return new Class[0];
      }

      @Override
      public Class<? extends java.lang.annotation.Annotation> annotationType() {
        return DnsLabel.class;
      }
    };
  }
}
