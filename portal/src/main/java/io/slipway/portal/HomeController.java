package io.slipway.portal;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The start page: says what runs today and where the API is, until the console exists. */
@Controller
class HomeController {

  private final String tenantApi;

  HomeController(
      @Value("${slipway.portal.tenant-api-url:http://127.0.0.1:8081}") String tenantApi) {
    this.tenantApi = tenantApi;
  }

  @GetMapping("/")
  String home(Model model) {
    model.addAttribute("tenantApi", tenantApi);
    return "index";
  }
}
