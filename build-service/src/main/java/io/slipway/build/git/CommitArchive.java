package io.slipway.build.git;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * A commit's build files ({@link CommitFiles}: regular files and executables, nothing else) as a
 * gzipped tar: what a Kubernetes build pod unpacks as its context. Entries are owned by uid and gid
 * 0 with modes 0644 or 0755 and a fixed time, so the archive depends on the commit alone; long
 * paths use POSIX (PAX) headers.
 */
public final class CommitArchive {

  private CommitArchive() {}

  /** Writes the archive of {@code commitId} to {@code out} (left open) and returns its files. */
  public static int writeTarGz(Path gitDir, String commitId, OutputStream out) throws IOException {
    int[] files = {0};
    GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(new Unclosed(out));
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      CommitFiles.walk(
          gitDir,
          commitId,
          (path, executable, content) -> {
            TarArchiveEntry entry = new TarArchiveEntry(path, true);
            entry.setSize(content.getSize());
            entry.setMode(executable ? 0100755 : 0100644);
            entry.setModTime(0);
            tar.putArchiveEntry(entry);
            content.copyTo(tar);
            tar.closeArchiveEntry();
            files[0]++;
          });
      tar.finish();
    }
    return files[0];
  }

  /** Lets the archive finish its gzip trailer without closing the response it is written to. */
  private static final class Unclosed extends FilterOutputStream {
    Unclosed(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
