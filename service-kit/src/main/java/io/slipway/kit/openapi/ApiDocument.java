package io.slipway.kit.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The head of every service's OpenAPI document ({@code /v3/api-docs}, browsed at {@code
 * /swagger-ui.html}): its title, what it is for, and the one way to authenticate, a bearer token.
 */
public final class ApiDocument {

  /** The name of the security scheme every operation requires. */
  public static final String BEARER = "bearer";

  private ApiDocument() {}

  /** A document titled and described, whose every operation needs a bearer token. */
  public static OpenAPI of(String title, String description) {
    return new OpenAPI()
        .info(new Info().title(title).description(description).version("v1"))
        .components(
            new Components()
                .addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description(
                            "A Keycloak access token (the portal's session), or a personal"
                                + " access token slp_... with the scope api, made on the"
                                + " portal's tokens page or with POST /api/v1/tokens."
                                + " A token acts as its owner, with the owner's role in each"
                                + " tenant.")))
        .addSecurityItem(new SecurityRequirement().addList(BEARER));
  }
}
