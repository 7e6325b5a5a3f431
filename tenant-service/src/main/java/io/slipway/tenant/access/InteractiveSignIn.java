package io.slipway.tenant.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On an {@link Actor} parameter: the operation needs a sign-in through the identity provider (a
 * JWT). A caller using a personal access token is refused with 403 before the request body is read,
 * so a leaked token cannot mint or revoke tokens.
 */
@Documented
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface InteractiveSignIn {}
