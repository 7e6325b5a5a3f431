package io.slipway.governance.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a tar stream (POSIX ustar with pax extended headers, and GNU long names) entry by entry.
 *
 * <p>Layers of OCI images are tar files written by different tools, so the reader understands the
 * three ways a long path is stored: the ustar prefix field, a pax {@code path} record and a GNU
 * {@code L} entry. Content is only read when the caller asks for it.
 */
final class TarReader {

  private static final int BLOCK = 512;

  /** One entry: its normalised path, type, link target and size. */
  record Entry(String path, Type type, String linkTarget, long size, int mode) {

    /** Whether anyone may execute it. */
    boolean isExecutable() {
      return (mode & 0111) != 0;
    }
  }

  /** The entry types a filesystem view needs; everything else is {@link #OTHER}. */
  enum Type {
    FILE,
    DIRECTORY,
    HARDLINK,
    SYMLINK,
    OTHER
  }

  private final InputStream in;
  private long remaining;
  private long padding;

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or {@code null} at the end of the archive. Skips unread content first. */
  Entry next() throws IOException {
    skipRest();
    String longName = null;
    String longLink = null;
    Map<String, String> pax = new HashMap<>();
    while (true) {
      byte[] header = new byte[BLOCK];
      if (!readBlock(header) || isZero(header)) {
        return null;
      }
      char flag = (char) header[156];
      long size = parseNumber(header, 124, 12);
      int mode = (int) parseNumber(header, 100, 8);
      if (flag == 'x' || flag == 'L' || flag == 'K') {
        byte[] data = readData(size);
        if (flag == 'x') {
          pax.putAll(parsePax(data));
        } else if (flag == 'L') {
          longName = cString(data, 0, data.length);
        } else {
          longLink = cString(data, 0, data.length);
        }
        continue;
      }
      if (flag == 'g') {
        readData(size);
        continue;
      }
      String name = cString(header, 0, 100);
      String magic = cString(header, 257, 6);
      if (magic.startsWith("ustar")) {
        String prefix = cString(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
      }
      if (longName != null) {
        name = longName;
      }
      name = pax.getOrDefault("path", name);
      String link =
          pax.getOrDefault("linkpath", longLink != null ? longLink : cString(header, 157, 100));
      if (pax.containsKey("size")) {
        size = Long.parseLong(pax.get("size").trim());
      }
      Type type =
          switch (flag) {
            case '0', '\0', '7' -> Type.FILE;
            case '5' -> Type.DIRECTORY;
            case '1' -> Type.HARDLINK;
            case '2' -> Type.SYMLINK;
            default -> Type.OTHER;
          };
      long dataSize = type == Type.FILE || type == Type.OTHER ? size : 0;
      remaining = dataSize;
      padding = (BLOCK - dataSize % BLOCK) % BLOCK;
      return new Entry(
          normalise(name), type, type == Type.HARDLINK ? normalise(link) : link, size, mode);
    }
  }

  /** The content of the current entry; call once, right after {@link #next()}. */
  byte[] content() throws IOException {
    if (remaining > Integer.MAX_VALUE - 16) {
      throw new IOException("tar entry too large to hold in memory: " + remaining + " bytes");
    }
    byte[] data = in.readNBytes((int) remaining);
    if (data.length != remaining) {
      throw new EOFException("tar entry truncated");
    }
    remaining = 0;
    return data;
  }

  /** The content of the current entry as a stream (not to be used after the next entry). */
  InputStream contentStream() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int b = in.read();
        if (b < 0) {
          throw new EOFException("tar entry truncated");
        }
        remaining--;
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
          throw new EOFException("tar entry truncated");
        }
        remaining -= n;
        return n;
      }
    };
  }

  /** Turns {@code ./usr/lib/} and {@code /usr/lib} into {@code usr/lib}. */
  static String normalise(String path) {
    String p = path;
    while (p.startsWith("./") || p.startsWith("/")) {
      p = p.startsWith("./") ? p.substring(2) : p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.equals(".") ? "" : p;
  }

  private void skipRest() throws IOException {
    skipFully(remaining + padding);
    remaining = 0;
    padding = 0;
  }

  private byte[] readData(long size) throws IOException {
    byte[] data = in.readNBytes((int) size);
    if (data.length != size) {
      throw new EOFException("tar header data truncated");
    }
    skipFully((BLOCK - size % BLOCK) % BLOCK);
    return data;
  }

  private void skipFully(long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("tar stream truncated");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private boolean readBlock(byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n != BLOCK) {
      throw new EOFException("tar header truncated");
    }
    return true;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String cString(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** Octal, or GNU base-256 when the high bit of the first byte is set. */
  private static long parseNumber(byte[] header, int offset, int length) {
    if ((header[offset] & 0x80) != 0) {
      long value = header[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (header[offset + i] & 0xff);
      }
      return value;
    }
    String text = cString(header, offset, length).trim();
    return text.isEmpty() ? 0 : Long.parseLong(text, 8);
  }

  /** Pax records are {@code "<length> <key>=<value>\n"}, the length counting the whole record. */
  private static Map<String, String> parsePax(byte[] data) {
    Map<String, String> records = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      int space = pos;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      if (space >= data.length) {
        break;
      }
      int length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      if (length <= 0 || pos + length > data.length) {
        break;
      }
      String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0) {
        records.put(record.substring(0, eq), record.substring(eq + 1));
      }
      pos += length;
    }
    return records;
  }
}
