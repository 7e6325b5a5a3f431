package io.slipway.tenant.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On an {@link Actor} parameter: only Slipway's own services may call the operation. Anyone else is
 * refused with 403 before the request body is read, so a caller that may not ask always learns that
 * first, whatever it sent.
 */
@Documented
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface ServiceCaller {

  /** The services (OAuth2 client ids) that may call; empty means any Slipway service. */
  String[] value() default {};
}
