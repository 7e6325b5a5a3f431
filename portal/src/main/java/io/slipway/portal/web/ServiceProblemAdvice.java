package io.slipway.portal.web;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** A page whose data a service refused shows the service's explanation, with its status. */
@ControllerAdvice
class ServiceProblemAdvice {

  @ExceptionHandler(ServiceProblem.class)
  String problem(ServiceProblem problem, HttpServletResponse response, Model model) {
    response.setStatus(problem.status());
    model.addAttribute("status", problem.status());
    model.addAttribute("message", problem.getMessage());
    return "error";
  }
}
