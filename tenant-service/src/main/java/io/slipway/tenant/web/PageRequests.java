package io.slipway.tenant.web;

import io.slipway.kit.problem.Problem;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** Bounds for the {@code page} and {@code size} query parameters every list accepts. */
public final class PageRequests {

  public static final int MAX_SIZE = 200;

  private PageRequests() {}

  public static PageRequest of(int page, int size, Sort sort) {
    if (page < 0) {
      throw Problem.invalid("invalid-page", "page must be 0 or more, was " + page);
    }
    if (size < 1 || size > MAX_SIZE) {
      throw Problem.invalid(
          "invalid-page", "size must be between 1 and " + MAX_SIZE + ", was " + size);
    }
    return PageRequest.of(page, size, sort);
  }
}
