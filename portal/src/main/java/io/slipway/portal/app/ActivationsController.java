package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.RuntimeBridge.ActivationPage;
import io.slipway.kit.client.RuntimeBridge.FunctionView;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A function's activations, newest first, a page at a time (older ones through runtime-bridge's
 * {@code before}), all or of one status (Errors, Timeouts: runtime-bridge's {@code status}, kept
 * across the pages), and one activation's page with its logs. Viewers may read them; another app's
 * or tenant's is 404, as runtime-bridge answers. An app that is not a function says so.
 */
@Controller
class ActivationsController {

  static final int PAGE_SIZE = 25;

  /** An activation id as runtime-bridge makes them: {@code ac} and 26 base32 characters. */
  static final String ID = "ac[a-z2-7]{26}";

  private static final Pattern ACTIVATION_ID = Pattern.compile(ID);

  private final ServiceApis apis;
  private final RuntimeBridge runtime;

  ActivationsController(ServiceApis apis) {
    this.apis = apis;
    this.runtime = apis.runtimeBridge();
  }

  /**
   * A filter link of the list: {@code status} as runtime-bridge filters (null: all), its page's
   * {@code href}, and whether it is the one shown.
   */
  record Filter(String label, String status, String href, boolean current) {}

  /** The filters the page offers, in order. */
  private static final Map<String, String> FILTERS = filters();

  private static Map<String, String> filters() {
    Map<String, String> filters = new LinkedHashMap<>();
    filters.put("error", "Errors");
    filters.put("timeout", "Timeouts");
    return Collections.unmodifiableMap(filters);
  }

  @GetMapping(AppRef.PATH + "/activations")
  String list(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(required = false) String before,
      @RequestParam(required = false) String status,
      Model model) {
    if (before != null && !ACTIVATION_ID.matcher(before).matches()) {
      throw new ServiceProblem(
          400, "invalid-page", "This page of activations does not exist: start from the newest.");
    }
    if (status != null && !FILTERS.containsKey(status)) {
      throw new ServiceProblem(
          400,
          "invalid-activation-status",
          "Activations are shown all, errors or timeouts only: pick one of the filters above the"
              + " list.");
    }
    String bearer = apis.bearer();
    // first: an app the user may not see ends the page here, as runtime-bridge's 404
    FunctionView function = runtime.function(tenant, project, app, bearer);
    model.addAttribute("function", function);
    names(tenant, project, app, model);
    if (function.runtime() != null) {
      ActivationPage page =
          runtime.activations(tenant, project, app, PAGE_SIZE, before, status, bearer);
      Instant now = Instant.now();
      model.addAttribute(
          "activations", page.activations().stream().map(a -> ActivationView.of(a, now)).toList());
      String list = new AppRef(tenant, project, app).page() + "/activations";
      model.addAttribute("before", before);
      model.addAttribute("status", status);
      model.addAttribute("filters", filters(list, status));
      model.addAttribute("newest", query(list, null, status));
      model.addAttribute("older", page.next() == null ? null : query(list, page.next(), status));
      model.addAttribute("url", runtime.deploymentsView(tenant, project, app, bearer).url());
    }
    return "activations";
  }

  /** All, then each filter, the one shown marked. */
  private static List<Filter> filters(String list, String status) {
    List<Filter> filters = new ArrayList<>();
    filters.add(new Filter("All", null, list, status == null));
    FILTERS.forEach(
        (value, label) ->
            filters.add(new Filter(label, value, query(list, null, value), value.equals(status))));
    return filters;
  }

  /**
   * The list's page before {@code before} (null: the newest) of {@code status} (null: all): the
   * filter is kept across Older and Newest. Both values are checked or runtime-bridge's own.
   */
  private static String query(String list, String before, String status) {
    StringBuilder query = new StringBuilder();
    if (before != null) {
      query.append("before=").append(before);
    }
    if (status != null) {
      query.append(query.isEmpty() ? "" : "&").append("status=").append(status);
    }
    return query.isEmpty() ? list : list + "?" + query;
  }

  @GetMapping(AppRef.PATH + "/activations/{id:" + ID + "}")
  String one(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String id,
      Model model) {
    String bearer = apis.bearer();
    model.addAttribute(
        "activation",
        ActivationView.of(runtime.activation(tenant, project, app, id, bearer), Instant.now()));
    names(tenant, project, app, model);
    return "activation";
  }

  private static void names(String tenant, String project, String app, Model model) {
    model.addAttribute("tenant", tenant);
    model.addAttribute("project", project);
    model.addAttribute("appName", app);
    model.addAttribute("base", new AppRef(tenant, project, app).page());
  }
}
