package io.slipway.governance.advisory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CVSS v3.1 base score of a vector string ({@code
 * CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H}), computed with the formula of the CVSS v3.1
 * specification, section 7.1. CVSS 3.0 vectors use the same base metrics and weights (only the
 * rounding function changed, and 3.1's is used for both).
 */
public final class Cvss31 {

  private static final List<String> BASE_METRICS =
      List.of("AV", "AC", "PR", "UI", "S", "C", "I", "A");

  private Cvss31() {}

  /**
   * The base score, 0.0 to 10.0.
   *
   * @throws IllegalArgumentException if the vector is not CVSS 3.x or lacks a base metric
   */
  public static double baseScore(String vector) {
    if (!vector.startsWith("CVSS:3.")) {
      throw new IllegalArgumentException("not a CVSS v3 vector: " + vector);
    }
    Map<String, String> m = new HashMap<>();
    for (String part : vector.split("/")) {
      int colon = part.indexOf(':');
      if (colon > 0) {
        m.putIfAbsent(part.substring(0, colon), part.substring(colon + 1));
      }
    }
    for (String metric : BASE_METRICS) {
      if (!m.containsKey(metric)) {
        throw new IllegalArgumentException("CVSS vector lacks " + metric + ": " + vector);
      }
    }
    boolean changed = m.get("S").equals("C");
    if (!changed && !m.get("S").equals("U")) {
      throw new IllegalArgumentException("bad scope in " + vector);
    }
    double av = weight(m.get("AV"), Map.of("N", 0.85, "A", 0.62, "L", 0.55, "P", 0.2), vector);
    double ac = weight(m.get("AC"), Map.of("L", 0.77, "H", 0.44), vector);
    double pr =
        weight(
            m.get("PR"),
            changed
                ? Map.of("N", 0.85, "L", 0.68, "H", 0.5)
                : Map.of("N", 0.85, "L", 0.62, "H", 0.27),
            vector);
    double ui = weight(m.get("UI"), Map.of("N", 0.85, "R", 0.62), vector);
    Map<String, Double> cia = Map.of("H", 0.56, "L", 0.22, "N", 0.0);
    double c = weight(m.get("C"), cia, vector);
    double i = weight(m.get("I"), cia, vector);
    double a = weight(m.get("A"), cia, vector);

    double iss = 1 - (1 - c) * (1 - i) * (1 - a);
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
    double exploitability = 8.22 * av * ac * pr * ui;
    if (impact <= 0) {
      return 0.0;
    }
    return changed
        ? roundUp(Math.min(1.08 * (impact + exploitability), 10))
        : roundUp(Math.min(impact + exploitability, 10));
  }

  /** CVSS v3.1's Roundup: the smallest number with one decimal that is at least the input. */
  static double roundUp(double input) {
    long intInput = Math.round(input * 100000);
    if (intInput % 10000 == 0) {
      return intInput / 100000.0;
    }
    return (Math.floor(intInput / 10000.0) + 1) / 10.0;
  }

  private static double weight(String value, Map<String, Double> weights, String vector) {
    Double w = weights.get(value);
    if (w == null) {
      throw new IllegalArgumentException("bad metric value " + value + " in " + vector);
    }
    return w;
  }
}
