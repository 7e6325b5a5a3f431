package io.slipway.tenant.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name of an app as other services address it: an app's own name (a {@link DnsLabel} of at most
 * {@link #max()} characters), or a preview's, {@code <preview>--<app>}, two such labels joined by
 * {@code --} (issue 25).
 */
@Documented
@Constraint(validatedBy = AppName.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface AppName {

  int max();

  String message() default
      "must be an app's name (a DNS-1123 label of at most {max} characters without '--') or a"
          + " preview's (<preview>--<app>, two such labels)";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Checks the name; null is left to {@code @NotNull}. */
  class Validator implements ConstraintValidator<AppName, String> {
    private int max;

    @Override
    public void initialize(AppName annotation) {
      max = annotation.max();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      int separator = value.indexOf("--");
      return separator < 0
          ? DnsLabel.Validator.isLabel(value, max)
          : DnsLabel.Validator.isLabel(value.substring(0, separator), max)
              && DnsLabel.Validator.isLabel(value.substring(separator + 2), max);
    }
  }
}
