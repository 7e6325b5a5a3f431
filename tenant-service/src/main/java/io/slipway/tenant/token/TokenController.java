package io.slipway.tenant.token;

import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.InteractiveSignIn;
import io.slipway.tenant.token.TokenRequests.CreateToken;
import io.slipway.tenant.token.TokenViews.CreatedToken;
import io.slipway.tenant.token.TokenViews.TokenView;
import io.slipway.tenant.web.PageResponse;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's own personal access tokens. Managing them takes an interactive sign-in: a token
 * cannot make, list or revoke tokens.
 */
@RestController
@RequestMapping("/api/v1/tokens")
class TokenController {

  private final TokenService tokens;

  TokenController(TokenService tokens) {
    this.tokens = tokens;
  }

  /** 201 with the token's secret, shown this once. */
  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  CreatedToken create(@InteractiveSignIn Actor actor, @Valid @RequestBody CreateToken request) {
    return tokens.create(actor, request);
  }

  @GetMapping
  PageResponse<TokenView> list(
      @InteractiveSignIn Actor actor,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    return tokens.list(actor, page, size);
  }

  /** Revokes the token at once; idempotent. */
  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void revoke(@InteractiveSignIn Actor actor, @PathVariable long id) {
    tokens.revoke(actor, id);
  }
}
