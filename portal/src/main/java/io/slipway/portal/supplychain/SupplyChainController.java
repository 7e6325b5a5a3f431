package io.slipway.portal.supplychain;

import io.slipway.kit.client.BuildService;
import io.slipway.kit.client.BuildService.AdvisoryImport;
import io.slipway.kit.client.BuildService.SigningKey;
import io.slipway.kit.client.RuntimePolicies;
import io.slipway.kit.client.RuntimePolicies.PolicyDocument;
import io.slipway.portal.web.Flash;
import io.slipway.portal.web.Parts;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The platform admin's supply chain: the image policy floor every tenant starts from
 * (runtime-bridge) and the vulnerability advisories every image is scanned against (build-service,
 * imported from OSV files since the machines are offline) and the keys that sign every built image
 * (build-service).
 */
@Controller
class SupplyChainController {

  static final String PAGE = "/admin/supply-chain";

  private final BuildService builds;
  private final RuntimePolicies policies;
  private final ServiceApis apis;

  SupplyChainController(ServiceApis apis) {
    this.builds = apis.buildService();
    this.policies = apis.runtimePolicies();
    this.apis = apis;
  }

  @GetMapping(PAGE)
  String page(Model model) {
    String bearer = apis.bearer();
    Parts.load(model, "floor", () -> Rules.of(policies.floor(bearer)));
    Parts.load(model, "keys", () -> builds.signingKeys(bearer));
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
          String bearer = apis.bearer();
          PolicyDocument floor =
              Policies.withRules(
                  policies.floor(bearer), requireSigned, allowedRegistries, maxSeverity);
          policies.setFloor(Policies.withTenantWaivers(floor, tenantWaiversAllowed), bearer);
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
      AdvisoryImport report = builds.importAdvisories(bytes(file), apis.bearer());
      redirect.addFlashAttribute("notice", summary(file.getOriginalFilename(), report));
      if (report.problems() != null && !report.problems().isEmpty()) {
        redirect.addFlashAttribute("importProblems", report.problems());
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
      SigningKey key = builds.rotateSigningKey(apis.bearer());
      redirect.addFlashAttribute(
          "notice",
          "Key "
              + key.id()
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
        () -> builds.distrustSigningKey(id, apis.bearer()),
        "Key " + id + " is no longer trusted: images it signed are refused at their next deploy.",
        redirect,
        PAGE);
  }

  static String summary(String file, AdvisoryImport report) {
    String name = file == null || file.isBlank() ? "the file" : file;
    if (!report.changed()) {
      return name + " changed nothing: every advisory in it was already imported.";
    }
    return "%s imported: %s new or updated, %d withdrawn, %d in all; %s rescanned."
        .formatted(
            name,
            Parts.count(report.imported(), "advisory", "advisories"),
            report.withdrawn(),
            report.advisories(),
            Parts.count(report.rescanned(), "image", "images"));
  }

  private static byte[] bytes(MultipartFile file) {
    try {
      return file.getBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
