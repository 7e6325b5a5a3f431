package io.slipway.tenant.catalog;

import io.slipway.kit.validation.PreviewTtls;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A preview TTL as a request names it, by the rule of {@link PreviewTtls} (which the portal's form
 * checks too). The database checks the same bounds.
 */
@Constraint(validatedBy = PreviewTtl.Check.class)
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@interface PreviewTtl {

  String message() default
      "must be a duration such as 7d, 36h or P7D, from 1h to 90d (a preview idle that long is deleted)";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Null is valid (the field left out); anything else must parse within the bounds. */
  class Check implements ConstraintValidator<PreviewTtl, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      return value == null || PreviewTtls.parse(value) != null;
    }
  }
}
