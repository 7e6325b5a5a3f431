package io.slipway.governance.sbom;

import io.slipway.governance.image.ImageFiles;
import java.util.List;

/** Finds the packages of one kind in an image's files. */
interface PackageScanner {

  /** Whether the scanner needs this file's content (decided by path alone, before reading). */
  boolean wants(String path);

  /** The packages found in the files kept for {@link #wants}. */
  List<Component> scan(ImageFiles files);
}
