package io.slipway.tenant.catalog;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A Keycloak user name: letters, digits and {@code . _ @ -}, at most 255 characters. */
@Pattern(
    regexp = "[A-Za-z0-9._@-]+",
    message = "username may hold only letters, digits and . _ @ -")
@Size(min = 1, max = 255, message = "username must be 1 to 255 characters")
@Constraint(validatedBy = {})
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@interface Username {
  String message() default "invalid username";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
