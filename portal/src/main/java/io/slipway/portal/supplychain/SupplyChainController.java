package io.slipway.portal.supplychain;

import io.slipway.portal.web.Flash;
import io.slipway.portal.web.Parts;
import io.slipway.portal.web.ServiceApi;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

/**
 * The platform admin's supply chain: the image policy floor every tenant starts from
 * (runtime-bridge) and the vulnerability advisories every image is scanned against (build-service,
 * imported from OSV files since the machines are offline) and the keys that sign every built image
 * (build-service).
 */
@Controller
class SupplyChainController {

  static final String PAGE = "/admin/supply-chain";
  private static final String FLOOR = "/api/v1/admin/image-policy";
  private static final String KEYS = "/api/v1/admin/signing-keys";

  private final ServiceApi builds;
  private final ServiceApi runtime;

  SupplyChainController(ServiceApis apis) {
    this.builds = apis.build();
    this.runtime = apis.runtime();
  }

  @GetMapping(PAGE)
  String page(Model model) {
    Parts.load(model, "floor", () -> Rules.of(runtime.get(FLOOR)));
    Parts.load(model, "keys", () -> builds.get(KEYS).valueStream().toList());
    model.addAttribute("severities", Policies.SEVERITIES);
    return "admin/supply-chain";
  }

  @PostMapping(PAGE + "/floor")
  String floor(
      @RequestParam(defaultValue = "false") boolean requireSigned,
      @RequestParam(defaultValue = "") String allowedRegistries,
      @RequestParam String maxSeverity,
      @RequestParam(defaultValue = "false") boolean tenantWaiversAllowed,
      RedirectAttributes redirect) {
    return Flash.after(
        () -> {
          var floor =
              Policies.withRules(runtime.get(FLOOR), requireSigned, allowedRegistries, maxSeverity);
          floor.put("tenantWaiversAllowed", tenantWaiversAllowed);
          runtime.put(floor, FLOOR);
        },
        "The floor is saved: it applies to the next deploy of every tenant.",
        redirect,
        PAGE);
  }

  /** Imports one OSV JSON file or a zip of them; build-service rescans what it changes. */
  @PostMapping(PAGE + "/advisories")
  String importAdvisories(@RequestParam MultipartFile file, RedirectAttributes redirect) {
    if (file.isEmpty()) {
      redirect.addFlashAttribute("error", "Choose an OSV JSON file or a zip of them to import.");
      return "redirect:" + PAGE;
    }
    try {
      JsonNode report = builds.upload(bytes(file), "/api/v1/admin/advisories");
      redirect.addFlashAttribute("notice", summary(file.getOriginalFilename(), report));
      if (!report.path("problems").isEmpty()) {
        redirect.addFlashAttribute(
            "importProblems",
            report.path("problems").valueStream().map(JsonNode::asString).toList());
      }
    } catch (ServiceProblem problem) {
      problem.flash(redirect);
    }
    return "redirect:" + PAGE;
  }

  /** Rotation: a new key signs from now on; the old ones keep verifying what they signed. */
  @PostMapping(PAGE + "/keys/rotate")
  String rotate(RedirectAttributes redirect) {
    try {
      JsonNode key = builds.post(Map.of(), KEYS);
      redirect.addFlashAttribute(
          "notice",
          "Key "
              + key.path("id").asString()
              + " signs new images from now on; the earlier keys still verify what they signed.");
    } catch (ServiceProblem problem) {
      problem.flash(redirect);
    }
    return "redirect:" + PAGE;
  }

  /** After a compromise: images signed by the key are refused from now on. */
  @PostMapping(PAGE + "/keys/{id}/distrust")
  String distrust(@PathVariable String id, RedirectAttributes redirect) {
    return Flash.after(
        () -> builds.delete(KEYS + "/{id}", id),
        "Key " + id + " is no longer trusted: images it signed are refused at their next deploy.",
        redirect,
        PAGE);
  }

  static String summary(String file, JsonNode report) {
    String name = file == null || file.isBlank() ? "the file" : file;
    if (!report.path("changed").asBoolean()) {
      return name + " changed nothing: every advisory in it was already imported.";
    }
    return "%s imported: %s new or updated, %d withdrawn, %d in all; %s rescanned."
        .formatted(
            name,
            Parts.count(report.path("imported").asInt(), "advisory", "advisories"),
            report.path("withdrawn").asInt(),
            report.path("advisories").asInt(),
            Parts.count(report.path("rescanned").asInt(), "image", "images"));
  }

  private static byte[] bytes(MultipartFile file) {
    try {
      return file.getBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
