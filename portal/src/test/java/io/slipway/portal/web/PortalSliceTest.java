package io.slipway.portal.web;

import io.slipway.portal.PortalProperties;
import io.slipway.portal.security.SecurityConfig;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/**
 * A controller slice: the named controllers with the portal's real security (sign-in required,
 * CSRF, admin pages for platform admins), templates and error pages, and {@link FakeServices} in
 * place of the services.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebMvcTest(properties = "slipway.portal.client-secret=slice-test")
@Import({FakeServices.class, SecurityConfig.class})
@EnableConfigurationProperties(PortalProperties.class)
public @interface PortalSliceTest {

  @AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
  Class<?>[] value() default {};
}
