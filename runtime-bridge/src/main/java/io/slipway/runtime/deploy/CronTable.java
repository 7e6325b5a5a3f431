package io.slipway.runtime.deploy;

import io.slipway.runtime.driver.ImageLabels;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppManifest;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.CronEntry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The cron entries of a revision: its image's app.json label, the same one its deploy checked (a
 * schedule that cannot be read refused that deploy). Read from the image rather than stored with
 * the revision, so that whatever makes a revision (a deploy, a rollback to an older image, a
 * restart, a configuration change) runs the entries of the image it runs, and nothing in the deploy
 * path has to carry them. An image's labels never change, so each live revision's are read once per
 * replica. A driver that cannot read labels (kubernetes) runs no entries.
 */
@Component
class CronTable {

  private static final Logger log = LoggerFactory.getLogger(CronTable.class);

  private final RuntimeDriver driver;
  private final Map<String, List<CronEntry>> byRevision = new ConcurrentHashMap<>();

  CronTable(RuntimeDriver driver) {
    this.driver = driver;
  }

  /** The revision's entries; none when its image cannot be read now (asked again next time). */
  List<CronEntry> of(AppSpec spec) {
    if (!(driver instanceof ImageLabels images)) {
      return List.of();
    }
    String key = key(spec);
    List<CronEntry> known = byRevision.get(key);
    if (known != null) {
      return known;
    }
    Map<String, String> labels;
    try {
      labels = images.labels(spec.imageReference());
    } catch (RuntimeException e) {
      log.warn("Reading the labels of {} failed: {}", spec.imageReference(), e.toString());
      return List.of();
    }
    List<CronEntry> entries;
    try {
      entries = AppManifest.fromLabels(labels).cron();
    } catch (IllegalArgumentException e) {
      // deployed before its deploy checked cron entries: it runs none, said once
      log.warn(
          "{} revision {} runs no cron entry: {}", spec.ref(), spec.revision(), e.getMessage());
      entries = List.of();
    }
    byRevision.put(key, entries);
    return entries;
  }

  /** Forgets the entries of every revision but these (no longer live ones). */
  void retain(Collection<AppSpec> live) {
    byRevision.keySet().retainAll(live.stream().map(CronTable::key).toList());
  }

  private static String key(AppSpec spec) {
    return spec.ref().appId() + "/" + spec.revision();
  }
}
