package io.slipway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.kit.validation.Limits;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The bounds of {@code PUT .../env} are service-kit's {@link Limits}, which the portal's forms use.
 * deploy/Views spells them as literals until the branches that change deploy/ this session are
 * merged (issue 20); this test keeps the two from drifting apart meanwhile.
 */
class LimitsAgreementTest {

  @Test
  void theEnvRequestBoundsAreTheSharedLimits() throws Exception {
    Class<?> request = Class.forName("io.slipway.runtime.deploy.Views$EnvRequest");

    AnnotatedType[] env = typeArguments(component(request, "env"));
    assertThat(size(component(request, "env").getAnnotatedType()))
        .isEqualTo(Limits.ENV_VARIABLES_MAX);
    assertThat(size(env[0])).isEqualTo(Limits.ENV_NAME_MAX);
    assertThat(env[0].getAnnotation(Pattern.class).regexp()).isEqualTo(Limits.ENV_NAME_PATTERN);
    assertThat(size(env[1])).isEqualTo(Limits.ENV_VALUE_MAX);

    AnnotatedType[] secrets = typeArguments(component(request, "secrets"));
    assertThat(size(component(request, "secrets").getAnnotatedType()))
        .isEqualTo(Limits.SECRETS_MAX);
    assertThat(size(secrets[0])).isEqualTo(Limits.ENV_NAME_MAX);
    assertThat(secrets[0].getAnnotation(Pattern.class).regexp()).isEqualTo(Limits.ENV_NAME_PATTERN);
    assertThat(size(secrets[1])).isEqualTo(Limits.SECRET_VALUE_MAX);
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
