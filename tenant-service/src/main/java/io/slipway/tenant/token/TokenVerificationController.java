package io.slipway.tenant.token;

import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.ServiceCaller;
import io.slipway.tenant.token.TokenRequests.VerifyToken;
import io.slipway.tenant.token.TokenViews.VerifiedToken;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lets Slipway's services check a token a user presented to them: build-service the password of a
 * git push, build-service and runtime-bridge the bearer token of an API call. 200: valid for the
 * scope; 422 {@code invalid-token}: the token is bad (and why); 403: the caller is not a service
 * and may not ask.
 */
@RestController
class TokenVerificationController {

  private final TokenService tokens;

  TokenVerificationController(TokenService tokens) {
    this.tokens = tokens;
  }

  @PostMapping("/api/v1/internal/tokens/verify")
  VerifiedToken verify(
      @ServiceCaller({"build-service", "runtime-bridge"}) Actor actor,
      @Valid @RequestBody VerifyToken request) {
    return tokens.verify(request);
  }
}
