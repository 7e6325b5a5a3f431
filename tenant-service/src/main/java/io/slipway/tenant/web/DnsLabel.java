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
import java.util.regex.Pattern;

/**
 * A DNS-1123 label of at most {@link #max()} characters: lower-case letters, digits and '-',
 * starting and ending with a letter or digit, and never {@code --}: an app's host label joins app,
 * project and tenant names with {@code --} ({@code <app>--<project>--<tenant>.apps.<domain>}), so a
 * name holding it could make two apps' hosts equal.
 */
@Documented
@Constraint(validatedBy = DnsLabel.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface DnsLabel {

  int max();

  String message() default
      "must be a DNS-1123 label of at most {max} characters: lower-case letters, digits and '-',"
          + " starting and ending with a letter or digit, without '--'";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Checks the label; null is left to {@code @NotNull}. */
  class Validator implements ConstraintValidator<DnsLabel, String> {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private int max;

    @Override
    public void initialize(DnsLabel annotation) {
      max = annotation.max();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      return value == null || isLabel(value, max);
    }

    /** Whether {@code value} is such a label of at most {@code max} characters. */
    static boolean isLabel(String value, int max) {
      return value.length() <= max && LABEL.matcher(value).matches() && !value.contains("--");
    }
  }
}
