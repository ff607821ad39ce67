package dev.agentledger.bench.demo;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The JDK AOT cache of {@code node run} (JEP 483/514/515: classes loaded, and method profiles) for
 * the jars now built, at the path {@code bin/agentledger} names in the system property {@value
 * #PROPERTY} ({@code target/aot/node-<checksum of the jars and flags>.aot}; absent with {@code
 * AGENTLEDGER_AOT=0} or when started outside the launcher). A validator started from it has its
 * classes loaded and the profiles of a validator under load, so C2 compiles the hot methods when
 * they first run instead of after a long C1 profiling phase. It holds no AOT-linked classes: {@code
 * --add-modules jdk.incubator.vector} puts an incubator module in the boot layer, and the JDK
 * archives no full module graph for such a layer ({@code -Xlog:aot}: "archive was created without
 * full module graph"), which AOT class linking needs.
 *
 * <p>When it is missing, one validator records it ({@link #recordFlags}): its JVM writes the cache
 * at its orderly exit (SIGTERM) under a temporary name, assembling it in a second JVM it starts
 * then, and {@link #install} renames it into place only when that JVM exited cleanly; a failed,
 * killed or partial recording leaves no cache, and later starts go on without one. A cache the JVM
 * cannot use (another JDK, other flags) it ignores and starts without.
 */
public final class NodeAotCache {
  /** The system property that {@code bin/agentledger} sets to the cache's path. */
  public static final String PROPERTY = "agentledger.node.aot";

  /** Exit statuses of an orderly stop: a normal exit, SIGTERM (143), SIGINT (130). */
  private static final List<Integer> ORDERLY = List.of(0, 143, 130);

  private final Path cache;
  private final Path temp;

  /**
   * The JVM's configuration file beside {@link #temp}, removed by it once the cache is complete.
   */
  private final Path config;

  NodeAotCache(Path cache, long id) {
    this.cache = cache;
    this.temp = cache.resolveSibling(cache.getFileName() + ".tmp." + id);
    this.config = temp.resolveSibling(temp.getFileName() + ".config");
  }

  /** The cache this JVM's launcher named, or null when none was named (off, or no launcher). */
  public static NodeAotCache ofThisBuild() {
    return of(System.getProperty(PROPERTY));
  }

  static NodeAotCache of(String path) {
    return path == null || path.isBlank()
        ? null
        : new NodeAotCache(Path.of(path), ProcessHandle.current().pid());
  }

  public Path path() {
    return cache;
  }

  /** Whether a recorded cache is there (a non-empty file). */
  public boolean present() {
    try {
      return Files.isRegularFile(cache) && Files.size(cache) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Flags that start a validator JVM from the cache; none when it is not there. */
  public List<String> useFlags() {
    return present()
        ? List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off")
        : List.of();
  }

  /**
   * Flags that make a validator JVM record the cache at its exit, under the temporary name; makes
   * the directory.
   */
  public List<String> recordFlags() throws IOException {
    Files.createDirectories(cache.getParent());
    return List.of("-XX:AOTCacheOutput=" + temp, "-Xlog:aot=off", "-Xlog:cds=off");
  }

  /**
   * After the recording JVM ended with {@code exitStatus}: renames the recorded cache into place
   * (removing the caches of other builds beside it) when the JVM stopped in order and the cache's
   * assembly completed (the JVM removes its temporary configuration only then); otherwise removes
   * what the recording left. Returns whether the cache is now in place.
   */
  public boolean install(int exitStatus) {
    try {
      boolean complete =
          ORDERLY.contains(exitStatus)
              && Files.isRegularFile(temp)
              && Files.size(temp) > 0
              && !Files.exists(config);
      if (!complete) {
        return false;
      }
      try (DirectoryStream<Path> old = Files.newDirectoryStream(cache.getParent(), "node-*.aot")) {
        for (Path p : old) {
          if (!p.equals(cache)) {
            Files.deleteIfExists(p);
          }
        }
      }
      try {
        Files.move(temp, cache, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, cache, StandardCopyOption.REPLACE_EXISTING);
      }
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      discard();
    }
  }

  /** Removes what a recording left under the temporary names (nothing when there is none). */
  public void discard() {
    try {
      Files.deleteIfExists(temp);
      Files.deleteIfExists(config);
    } catch (IOException e) {
      // a leftover temporary file is never read: the launcher only uses the final name
    }
  }
}
