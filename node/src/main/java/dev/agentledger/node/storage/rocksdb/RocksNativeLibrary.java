package dev.agentledger.node.storage.rocksdb;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/**
 * Loads RocksDB's JNI library from one extracted copy per library build instead of a fresh
 * temporary file per process.
 *
 * <p>RocksDB's own loader copies the 17 MB library out of its jar into {@code java.io.tmpdir} under
 * a random name on every start and deletes it only at a normal JVM exit, so every validator stopped
 * with {@code kill -9} (the fault suite does it on purpose) leaves one behind. Here the library is
 * extracted once into a cache directory, under a name made of the jar entry's size and CRC, written
 * to a temporary name and renamed into place, so concurrent starts never see a partial file; later
 * starts load it from there. The directory is, in order: the {@code agentledger.native.dir} system
 * property, the {@code AGENTLEDGER_NATIVE_DIR} environment variable, {@code
 * $XDG_CACHE_HOME/agentledger/native}, {@code ~/.cache/agentledger/native}. If it cannot be used
 * (read-only home, no such resource, or a load that fails), RocksDB's own loader runs instead.
 */
public final class RocksNativeLibrary {
  private static final Object LOCK = new Object();
  private static volatile Path loadedFrom;
  private static volatile boolean loaded;

  private RocksNativeLibrary() {}

  /** Loads the library once per process; later calls return at once. */
  public static void load() {
    if (loaded) {
      return;
    }
    synchronized (LOCK) {
      if (loaded) {
        return;
      }
      Path dir = null;
      try {
        dir = extracted(cacheRoot());
      } catch (IOException | RuntimeException e) {
        dir = null;
      }
      boolean fromCache = false;
      if (dir != null) {
        try {
          RocksDB.loadLibrary(List.of(dir.toString()));
          fromCache = true;
        } catch (UnsatisfiedLinkError e) {
          fromCache = false;
        }
      }
      if (fromCache) {
        loadedFrom = dir.resolve(fileName());
      } else {
        RocksDB.loadLibrary();
      }
      loaded = true;
    }
  }

  /** The extracted library this process loaded, or null when RocksDB's own loader ran. */
  public static Path loadedFrom() {
    return loadedFrom;
  }

  /** The library's entry in RocksDB's jar for this platform. */
  static String resourceName() {
    return Environment.getJniLibraryFileName("rocksdb");
  }

  /**
   * The file name {@link RocksDB#loadLibrary(List)} loads from each directory it is given: it
   * derives the name from "rocksdbjni", not "rocksdb", so it differs from the jar entry's.
   */
  static String fileName() {
    return Environment.getJniLibraryFileName("rocksdbjni");
  }

  static Path cacheRoot() {
    String property = System.getProperty("agentledger.native.dir");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String env = System.getenv("AGENTLEDGER_NATIVE_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "agentledger", "native");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "agentledger", "native");
  }

  /**
   * The directory holding this build of the library under {@code root}, extracting it there first
   * when absent; null when the jar holds no library for this platform.
   */
  static Path extracted(Path root) throws IOException {
    String name = fileName();
    URL resource = RocksDB.class.getClassLoader().getResource(resourceName());
    if (resource == null) {
      return null;
    }
    URLConnection connection = resource.openConnection();
    long size;
    String tag;
    if (connection instanceof JarURLConnection jar) {
      jar.setUseCaches(false);
      JarEntry entry = jar.getJarEntry();
      size = entry.getSize();
      tag = size + "-" + Long.toHexString(entry.getCrc()).toLowerCase(Locale.ROOT);
    } else {
      size = connection.getContentLengthLong();
      tag = size + "-" + Long.toHexString(connection.getLastModified());
    }
    Path dir = root.resolve("rocksdbjni-" + tag);
    Path target = dir.resolve(name);
    if (Files.isRegularFile(target) && Files.size(target) == size) {
      return dir;
    }
    Files.createDirectories(dir);
    Path partial = Files.createTempFile(dir, name, ".partial");
    try {
      try (InputStream in = resource.openStream()) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      if (size >= 0 && Files.size(partial) != size) {
        throw new IOException("short copy of " + name + " into " + partial);
      }
      try {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(partial);
    }
    return dir;
  }
}
