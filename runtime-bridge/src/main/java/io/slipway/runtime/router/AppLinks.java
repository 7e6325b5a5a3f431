package io.slipway.runtime.router;

import io.slipway.runtime.model.AppRef;
import java.util.Optional;

/**
 * Where the router's 503 page of an app links: the app's page in the portal, {@code
 * <portal-url>/t/<tenant>/p/<project>/a/<app>}, whose owner finds its state and logs there (a
 * visitor without access gets the portal's sign-in or 404). The link names the tenant, project and
 * app, so it is given only on the app's own host and only when that host already says them (its
 * label is {@code <app>--<project>--<tenant>}): a custom domain, or an older app answering at its
 * id, reveals nothing its host does not.
 *
 * @param portalUrl the portal's public URL without a trailing slash; empty: no link at all
 * @param appsDomain apps answer at {@code <hostLabel>.apps.<appsDomain>}
 */
public record AppLinks(String portalUrl, String appsDomain) {

  /** No link on any page. */
  public static final AppLinks NONE = new AppLinks("", "localhost");

  public AppLinks {
    portalUrl =
        portalUrl.endsWith("/") ? portalUrl.substring(0, portalUrl.length() - 1) : portalUrl;
    // Caddy fills {placeholders} in a static body, and the link goes into HTML: neither may occur.
    if (!portalUrl.isEmpty()
        && !portalUrl.matches("https?://[A-Za-z0-9._~:/%+@!$&'()*,;=\\[\\]-]+")) {
      throw new IllegalArgumentException(
          "the portal URL must be a plain http(s) URL: " + portalUrl);
    }
  }

  /** The host the app answers at by default. */
  public String ownHost(AppRef ref) {
    return ref.hostLabel() + ".apps." + appsDomain;
  }

  /** The app's page in the portal, when its own host already names it. */
  public Optional<String> appPage(AppRef ref) {
    boolean implied =
        ref.hostLabel().equals(ref.app() + "--" + ref.project() + "--" + ref.tenant());
    if (portalUrl.isEmpty() || !implied) {
      return Optional.empty();
    }
    return Optional.of(
        portalUrl + "/t/" + ref.tenant() + "/p/" + ref.project() + "/a/" + ref.app());
  }
}
