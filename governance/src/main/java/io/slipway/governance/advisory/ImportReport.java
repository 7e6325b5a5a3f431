package io.slipway.governance.advisory;

import java.util.List;

/**
 * What one import did.
 *
 * @param imported records read and stored (new or replacing one with the same id)
 * @param withdrawn withdrawn records, which removed any stored record with their id
 * @param problems files or records that could not be read, each with its name and the reason
 * @param revision the database revision after the import
 */
public record ImportReport(int imported, int withdrawn, List<String> problems, String revision) {

  public ImportReport {
    problems = List.copyOf(problems);
  }
}
