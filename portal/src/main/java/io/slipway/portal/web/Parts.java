package io.slipway.portal.web;

import java.util.function.Supplier;
import org.springframework.ui.Model;

/**
 * A page assembled from several services: each part is loaded on its own, and a service that
 * refuses or is down hides only its part, which then says why ({@code <name>Error}).
 */
public final class Parts {

  private Parts() {}

  /** {@code 1 replica}, {@code 2 replicas}: a count with its noun in the right number. */
  public static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /**
   * Adds {@code name} to the model, or {@code nameError} with the service's explanation. A 404 adds
   * nothing: the part does not exist yet (an app never deployed, say), which the page says itself.
   */
  public static void load(Model model, String name, Supplier<?> part) {
    try {
      model.addAttribute(name, part.get());
    } catch (ServiceProblem problem) {
      if (problem.status() != 404) {
        model.addAttribute(name + "Error", problem.getMessage());
      }
    }
  }
}
