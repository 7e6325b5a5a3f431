package io.slipway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.kit.validation.Limits;
import io.slipway.runtime.model.EnvRules;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The bounds of {@code PUT .../env} are service-kit's {@link Limits}, which the portal's forms use:
 * the request's annotations (through {@link EnvRules}) say the same numbers.
 */
class LimitsAgreementTest {

  @Test
  void theEnvRequestBoundsAreTheSharedLimits() throws Exception {
    Class<?> request = Class.forName("io.slipway.runtime.deploy.Views$EnvRequest");

    AnnotatedType[] env = typeArguments(component(request, "env"));
    assertThat(size(component(request, "env").getAnnotatedType()))
        .isEqualTo(Limits.ENV_VARIABLES_MAX);
    assertThat(env[0].getAnnotation(Pattern.class).regexp()).isEqualTo(EnvRules.NAME);
    assertThat(size(env[1])).isEqualTo(Limits.ENV_VALUE_MAX);

    AnnotatedType[] secrets = typeArguments(component(request, "secrets"));
    assertThat(size(component(request, "secrets").getAnnotatedType()))
        .isEqualTo(Limits.SECRETS_MAX);
    assertThat(secrets[0].getAnnotation(Pattern.class).regexp()).isEqualTo(EnvRules.NAME);
    assertThat(size(secrets[1])).isEqualTo(Limits.SECRET_VALUE_MAX);
  }

  @Test
  void aNameIsWhatTheSharedPatternAllowsUpToTheSharedLength() {
    String longest = "A" + "_".repeat(Limits.ENV_NAME_MAX - 1);
    assertThat(EnvRules.validName(longest)).isTrue();
    assertThat(longest.matches(Limits.ENV_NAME_PATTERN)).isTrue();
    assertThat(EnvRules.validName(longest + "B")).isFalse();
    assertThat(EnvRules.validName("1ABC")).isFalse();
    assertThat(EnvRules.validName("A-B")).isFalse();
  }

  @Test
  void aSecretValueMayBeAsLongAsTheSharedLimitAndNoLonger() {
    String longest = "s".repeat(Limits.SECRET_VALUE_MAX);
    assertThat(EnvRules.validSecretValue(longest)).isTrue();
    assertThat(EnvRules.validSecretValue(longest + "s")).isFalse();
  }

  private static RecordComponent component(Class<?> record, String name) {
    return Arrays.stream(record.getRecordComponents())
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static AnnotatedType[] typeArguments(RecordComponent component) {
    return ((AnnotatedParameterizedType) component.getAnnotatedType())
        .getAnnotatedActualTypeArguments();
  }

  private static int size(AnnotatedType type) {
    Size size = type.getAnnotation(Size.class);
    assertThat(size).as("@Size on %s", type).isNotNull();
    return size.max();
  }
}
