package dev.agentledger.accel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * Kernel sources shipped as resources under {@code dev/agentledger/accel/kernels/}. OpenCL
 * compilers get one string, so {@code #include "common/x.h"} lines are inlined here (each header
 * once); nvcc reads the same files from the source tree at build time.
 */
public final class KernelSources {
  public static final String ROOT = "/dev/agentledger/accel/kernels/";

  private KernelSources() {}

  /** The source at {@code path} (relative to the kernels root) with its includes inlined. */
  public static String load(String path) {
    StringBuilder out = new StringBuilder();
    inline(path, out, new HashSet<>());
    return out.toString();
  }

  /** Raw bytes of a resource under the kernels root, or null when absent. */
  public static byte[] resourceBytes(String path) {
    try (InputStream in = KernelSources.class.getResourceAsStream(ROOT + path)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void inline(String path, StringBuilder out, Set<String> seen) {
    if (!seen.add(path)) {
      return;
    }
    byte[] bytes = resourceBytes(path);
    if (bytes == null) {
      throw new AccelException("kernel source missing from the class path: " + ROOT + path);
    }
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#include \"") && trimmed.endsWith("\"")) {
        inline(trimmed.substring(10, trimmed.length() - 1), out, seen);
      } else {
        out.append(line).append('\n');
      }
    }
  }

  /** Hex SHA-256 of the parts, for cache keys. */
  public static String sha256Hex(String... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        md.update(p.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
