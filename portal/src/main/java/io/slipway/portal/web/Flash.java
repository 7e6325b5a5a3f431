package io.slipway.portal.web;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The end of every form post: a change made by a service, then a redirect that tells how it went.
 */
public final class Flash {

  private Flash() {}

  /**
   * Runs {@code change}; flashes {@code notice} when it succeeds, or the service's own explanation
   * when it is refused; redirects to {@code page}.
   */
  public static String after(
      Runnable change, String notice, RedirectAttributes redirect, String page) {
    try {
      change.run();
      redirect.addFlashAttribute("notice", notice);
    } catch (ServiceProblem problem) {
      problem.flash(redirect);
    }
    return "redirect:" + page;
  }
}
