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
 * starting and ending with a letter or digit. Tenant, project and app names become host names
 * ({@code <app>-<project>-<tenant>.apps.<domain>}) and Kubernetes namespaces, so the three maxima
 * add up to one 63-character label.
 */
@Documented
@Constraint(validatedBy = DnsLabel.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface DnsLabel {

  int max();

  String message() default
      "must be a DNS-1123 label of at most {max} characters: lower-case letters, digits and '-',"
          + " starting and ending with a letter or digit";

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
      return value == null || (value.length() <= max && LABEL.matcher(value).matches());
    }
  }
}
