package io.slipway.build.git;

import io.slipway.build.queue.AppRef;

/**
 * The portal's pages a pusher is pointed to, as the portal routes them: by the app's names, never
 * its ids ({@code /t/<tenant>/p/<project>/a/<app>}).
 *
 * @param baseUrl the portal's URL, without a trailing slash
 */
record PortalPages(String baseUrl) {

  String app(AppRef app) {
    return baseUrl + "/t/" + app.tenant() + "/p/" + app.project() + "/a/" + app.app();
  }

  String build(AppRef app, int number) {
    return app(app) + "/builds/" + number;
  }
}
