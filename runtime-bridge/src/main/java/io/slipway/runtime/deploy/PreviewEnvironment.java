package io.slipway.runtime.deploy;

import java.util.Set;
import java.util.TreeMap;

/**
 * The one rule for what a preview (issue 25) runs with: its parent app's plain variables, only the
 * parent's secrets marked {@code preview: true} (a secret is a production credential unless its
 * owner says a preview may hold it), then the preview's own variables and secrets on top (its
 * overrides, set on the preview's app name as on any app). A name set as a variable on one side and
 * a secret on the other is what the winning side made it, never both.
 */
final class PreviewEnvironment {

  private PreviewEnvironment() {}

  static AppConfigStore.Config derive(
      AppConfigStore.Config parent, Set<String> previewSecrets, AppConfigStore.Config own) {
    TreeMap<String, String> env = new TreeMap<>(parent.env());
    TreeMap<String, String> secrets = new TreeMap<>();
    parent
        .secrets()
        .forEach(
            (name, value) -> {
              if (previewSecrets.contains(name)) {
                secrets.put(name, value);
              }
            });
    own.env()
        .forEach(
            (name, value) -> {
              env.put(name, value);
              secrets.remove(name);
            });
    own.secrets()
        .forEach(
            (name, value) -> {
              secrets.put(name, value);
              env.remove(name);
            });
    return new AppConfigStore.Config(env, secrets);
  }
}
