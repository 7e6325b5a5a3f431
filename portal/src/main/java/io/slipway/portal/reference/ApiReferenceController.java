package io.slipway.portal.reference;

import io.slipway.kit.client.OpenApiDocuments;
import io.slipway.portal.PortalProperties;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.net.URI;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The combined reference of the platform's REST API: every service's operations on one page, read
 * from the services' own OpenAPI documents when the page is opened (so it is never out of date),
 * with how to authenticate and links to each document and its Swagger UI. A service that does not
 * answer is named with the reason; the others are still shown.
 */
@Controller
class ApiReferenceController {

  private final ServiceApis apis;
  private final PortalProperties properties;

  ApiReferenceController(ServiceApis apis, PortalProperties properties) {
    this.apis = apis;
    this.properties = properties;
  }

  @GetMapping("/api-reference")
  String reference(Model model) {
    List<ServiceReference> services =
        List.of(
            read("tenant-service", properties.tenantApiUrl()),
            read("build-service", properties.buildApiUrl()),
            read("runtime-bridge", properties.runtimeApiUrl()));
    model.addAttribute("services", services);
    model.addAttribute(
        "operations", services.stream().mapToInt(ServiceReference::operationCount).sum());
    return "api-reference";
  }

  private ServiceReference read(String service, URI baseUrl) {
    String base = baseUrl.toString().replaceAll("/+$", "");
    try {
      OpenApiDocuments documents = apis.apiDocuments().get(service);
      return ServiceReference.of(service, base, documents.document(apis.bearer()));
    } catch (ServiceProblem problem) {
      return ServiceReference.unavailable(service, base, problem.getMessage());
    }
  }
}
