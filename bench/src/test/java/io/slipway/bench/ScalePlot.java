package io.slipway.bench;

import java.util.List;
import java.util.Map;

/**
 * The scale curve as an SVG line chart: one line per measure, its p95 at each step divided by its
 * p95 at the first step (so every line starts at 1.0 and the target, 1.5, is one dashed line for
 * all), the running apps on the x axis.
 */
final class ScalePlot {

  private static final int WIDTH = 640;
  private static final int HEIGHT = 360;
  private static final int LEFT = 60;
  private static final int RIGHT = 200;
  private static final int TOP = 30;
  private static final int BOTTOM = 50;
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};
  private static final double TARGET = 1.5;

  private ScalePlot() {}

  static String svg(List<Integer> apps, Map<String, List<Long>> p95s) {
    double top = TARGET * 1.2;
    for (List<Long> series : p95s.values()) {
      for (long value : series) {
        top = Math.max(top, ratio(value, series) * 1.1);
      }
    }
    StringBuilder svg =
        new StringBuilder(
            """
            <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">
            <rect width="100%%" height="100%%" fill="white"/>
            <text x="%d" y="18" font-size="14">p95 against the first step's, by running apps</text>
            """
                .formatted(WIDTH, HEIGHT, LEFT));
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    // axes, ticks and the target
    svg.append(line(LEFT, TOP, LEFT, TOP + plotHeight, "black", false))
        .append(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "black", false));
    for (int i = 0; i < apps.size(); i++) {
      double x = x(i, apps.size(), plotWidth);
      svg.append(
          "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n"
              .formatted(x, TOP + plotHeight + 18, apps.get(i)));
    }
    svg.append(
        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">running apps</text>%n"
            .formatted(LEFT + plotWidth / 2, HEIGHT - 10));
    for (double tick = 0; tick <= top; tick += 0.5) {
      double y = y(tick, top, plotHeight);
      svg.append(
          "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>%n"
              .formatted(LEFT - 6, y + 4, tick));
    }
    double target = y(TARGET, top, plotHeight);
    svg.append(line(LEFT, target, LEFT + plotWidth, target, "#888", true))
        .append(
            "<text x=\"%d\" y=\"%.1f\" fill=\"#888\">target 1.5</text>%n"
                .formatted(LEFT + 6, target - 6));
    int color = 0;
    for (Map.Entry<String, List<Long>> entry : p95s.entrySet()) {
      String stroke = COLORS[color % COLORS.length];
      List<Long> series = entry.getValue();
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < series.size(); i++) {
        double x = x(i, apps.size(), plotWidth);
        double y = y(ratio(series.get(i), series), top, plotHeight);
        points.append("%.1f,%.1f ".formatted(x, y));
        svg.append(
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n".formatted(x, y, stroke));
      }
      svg.append(
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n"
                  .formatted(stroke, points.toString().strip()))
          .append(
              "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n"
                  .formatted(
                      LEFT + plotWidth + 6, TOP + 40 + 18 * color, stroke, escape(entry.getKey())));
      color++;
    }
    return svg.append("</svg>\n").toString();
  }

  private static double ratio(long value, List<Long> series) {
    return (double) value / Math.max(1, series.getFirst());
  }

  private static double x(int index, int count, int plotWidth) {
    return LEFT + (count == 1 ? plotWidth / 2.0 : index * (double) plotWidth / (count - 1));
  }

  private static double y(double value, double top, int plotHeight) {
    return TOP + plotHeight - value / top * plotHeight;
  }

  private static String line(
      double x1, double y1, double x2, double y2, String stroke, boolean dashed) {
    return "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>%n"
        .formatted(x1, y1, x2, y2, stroke, dashed ? " stroke-dasharray=\"6 4\"" : "");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;");
  }
}
