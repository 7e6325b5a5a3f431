package io.slipway.runtime.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * The one field of a qcow2 image's header the bridge reads: its virtual size (bytes 24 to 31,
 * big-endian, after the magic {@code QFI\xfb}). Enough to tell the size of a data disk the runner
 * made without starting {@code qemu-img} on the host, where QEMU is not installed.
 */
final class QcowHeader {

  private static final int MAGIC = 0x514649fb;

  private QcowHeader() {}

  /** The image's virtual size in bytes; empty when there is no such file. */
  static OptionalLong virtualSize(Path image) {
    try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(32);
      channel.read(header, 0);
      if (header.hasRemaining() || header.getInt(0) != MAGIC) {
        throw new IllegalStateException(image + " is not a qcow2 image");
      }
      return OptionalLong.of(header.getLong(24));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + image, e);
    }
  }
}
