package io.slipway.tenant.events;

import io.slipway.kit.problem.Problem;
import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.ServiceCaller;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The internal feed of catalog events, for build-service and runtime-bridge only (anyone else:
 * 403). A consumer keeps the seq of the last event it applied and asks for what came after.
 */
@RestController
class CatalogEventController {

  static final int MAX_LIMIT = 500;

  private final CatalogEvents events;

  CatalogEventController(CatalogEvents events) {
    this.events = events;
  }

  /** The page of events after {@code after}; {@code next} is the cursor to ask with next time. */
  record EventPage(List<CatalogEvent> items, long next) {}

  @GetMapping("/api/v1/internal/events")
  EventPage events(
      @ServiceCaller({"build-service", "runtime-bridge"}) Actor actor,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "100") int limit) {
    if (after < 0 || limit < 1 || limit > MAX_LIMIT) {
      throw Problem.invalid(
          "invalid-page", "after must be at least 0 and limit between 1 and " + MAX_LIMIT);
    }
    List<CatalogEvent> items = events.after(after, limit);
    return new EventPage(items, items.isEmpty() ? after : items.getLast().seq());
  }
}
