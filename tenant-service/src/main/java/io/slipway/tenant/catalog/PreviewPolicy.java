package io.slipway.tenant.catalog;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a new preview does when the {@code previews} quota is full (issue 25), chosen per project.
 */
enum PreviewPolicy {
  /** 409 {@code quota-exceeded}, as for apps. */
  REFUSE("refuse"),
  /**
   * The project's preview with the oldest {@code updatedAt} is deleted and the new one takes its
   * slot. Deleted, not stopped: a stopped preview would still hold its slot.
   */
  REPLACE_OLDEST("replace-oldest");

  private final String value;

  PreviewPolicy(String value) {
    this.value = value;
  }

  @JsonValue
  String value() {
    return value;
  }

  /** The policy named {@code value}; null when none is. */
  static PreviewPolicy of(String value) {
    for (PreviewPolicy policy : values()) {
      if (policy.value.equals(value)) {
        return policy;
      }
    }
    return null;
  }
}
