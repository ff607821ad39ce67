package dev.agentledger.node.gateway;

import dev.agentledger.node.keys.KeyFile;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The custodian's agent keys: {@code DIR/<agent id>.key} in the {@code keygen} format, readable by
 * the owner alone (mode 0600 or stricter). An agent id names a file, so it is limited to letters,
 * digits, '.', '_' and '-' (1–128 characters, not starting with '.'). Keys are read once and kept.
 */
public final class AgentKeystore {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
  private static final Set<PosixFilePermission> OTHERS =
      Set.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  /** Why an agent has no usable key. */
  public static final class KeyProblem extends Exception {
    private static final long serialVersionUID = 1L;

    KeyProblem(String message) {
      super(message);
    }
  }

  private final Path dir;
  private final Map<String, Ed25519KeyPair> keys = new HashMap<>();

  public AgentKeystore(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("keystore " + dir + " is not a directory");
    }
    this.dir = dir;
  }

  /** The key of {@code agentId}; empty when the keystore has no file for it. */
  public Optional<Ed25519KeyPair> key(String agentId) throws KeyProblem {
    Ed25519KeyPair known = keys.get(agentId);
    if (known != null) {
      return Optional.of(known);
    }
    if (!ID.matcher(agentId).matches()) {
      throw new KeyProblem(
          "agent id '"
              + printable(agentId)
              + "' cannot name a key file (letters, digits, '.', '_', '-' only)");
    }
    Path file = dir.resolve(agentId + ".key");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      for (PosixFilePermission p : OTHERS) {
        if (mode.contains(p)) {
          throw new KeyProblem(
              "key file " + file + " is readable by others; run: chmod 600 " + file);
        }
      }
      Ed25519KeyPair key = KeyFile.read(file);
      keys.put(agentId, key);
      return Optional.of(key);
    } catch (KeyFile.KeyFileException e) {
      throw new KeyProblem(e.getMessage());
    } catch (IOException | UnsupportedOperationException e) {
      throw new KeyProblem("key file " + file + ": " + e.getMessage());
    }
  }

  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
