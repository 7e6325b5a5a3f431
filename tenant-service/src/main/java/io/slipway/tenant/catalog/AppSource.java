package io.slipway.tenant.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Where an app's images come from. */
public enum AppSource {
  /** A git repository hosted by build-service; pushes build and deploy. */
  HOSTED_GIT("hosted-git", false),
  /** An external git repository whose webhook triggers builds; the reference is its clone URL. */
  EXTERNAL_GIT("external-git", true),
  /** An existing image; the reference is the image name. */
  IMAGE("image", true),
  /**
   * A virtual machine (docs/vms.md): nothing is built or deployed for it; runtime-bridge holds its
   * spec and its disk comes from a VM image named there.
   */
  VM("vm", false);

  private final String value;
  private final boolean needsReference;

  AppSource(String value, boolean needsReference) {
    this.value = value;
    this.needsReference = needsReference;
  }

  @JsonValue
  public String value() {
    return value;
  }

  public boolean needsReference() {
    return needsReference;
  }

  @JsonCreator
  public static AppSource of(String value) {
    return Arrays.stream(values())
        .filter(source -> source.value.equals(value))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "source must be one of hosted-git, external-git, image, vm"));
  }
}
