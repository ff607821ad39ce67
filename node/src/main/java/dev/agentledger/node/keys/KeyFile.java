package dev.agentledger.node.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/**
 * Ed25519 key files: a small JSON object, created with mode 0600, never overwritten.
 *
 * <pre>
 * {"format":"agentledger-ed25519-key/v1","public_key":"&lt;64 hex&gt;","seed":"&lt;64 hex&gt;"}
 * </pre>
 *
 * <p>Loading checks the format tag, both lengths, and that the public key is the one the seed
 * derives, so a damaged or hand-edited file is refused with a reason instead of signing with the
 * wrong key.
 */
public final class KeyFile {
  /** The format tag written into every key file. */
  public static final String FORMAT = "agentledger-ed25519-key/v1";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private KeyFile() {}

  /** Thrown when a key file cannot be written or read; the message names the file and the cause. */
  public static final class KeyFileException extends IOException {
    public KeyFileException(String message) {
      super(message);
    }

    public KeyFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Writes {@code key} to a new file {@code path} with mode 0600 (set at creation, so the secret is
   * never readable by others even briefly) and syncs it.
   *
   * @throws KeyFileException if the file exists or cannot be written
   */
  public static void write(Path path, Ed25519KeyPair key) throws KeyFileException {
    ObjectNode node = JSON.createObjectNode();
    node.put("format", FORMAT);
    node.put("public_key", HEX.formatHex(key.publicKey()));
    byte[] seed = key.seed();
    node.put("seed", HEX.formatHex(seed));
    Arrays.fill(seed, (byte) 0);
    byte[] bytes;
    try {
      bytes =
          (JSON.writeValueAsString(node) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KeyFileException("cannot encode key: " + e.getMessage(), e);
    }
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new KeyFileException(
          "cannot write key file " + path + ": directory " + parent + " does not exist");
    }
    try (FileChannel channel =
        FileChannel.open(
            path,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
      try (OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
        out.write(bytes);
        out.flush();
        channel.force(true);
      }
    } catch (FileAlreadyExistsException e) {
      throw new KeyFileException("refusing to overwrite existing key file " + path, e);
    } catch (UnsupportedOperationException e) {
      throw new KeyFileException(
          "cannot write key file " + path + ": file system has no POSIX permissions", e);
    } catch (IOException e) {
      throw new KeyFileException("cannot write key file " + path + ": " + e, e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * Null when {@code path} is readable by its owner only (or the file system has no POSIX modes),
   * else one line naming the file, its mode and the fix ({@code chmod 600}).
   */
  public static String permissionProblem(Path path) {
    java.util.Set<java.nio.file.attribute.PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(path);
    } catch (UnsupportedOperationException | IOException e) {
      return null;
    }
    java.util.Set<java.nio.file.attribute.PosixFilePermission> open =
        java.util.EnumSet.noneOf(java.nio.file.attribute.PosixFilePermission.class);
    open.addAll(mode);
    open.removeAll(
        java.util.EnumSet.of(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
            java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE));
    if (open.isEmpty()) {
      return null;
    }
    return "key file "
        + path
        + " is accessible by group or others ("
        + java.nio.file.attribute.PosixFilePermissions.toString(mode)
        + "); run: chmod 600 "
        + path;
  }

  /**
   * Reads a key file written by {@link #write}.
   *
   * @throws KeyFileException naming what is wrong: missing file, bad JSON, wrong format tag,
   *     missing or malformed fields, or a public key that does not match the seed
   */
  public static Ed25519KeyPair read(Path path) throws KeyFileException {
    JsonNode node;
    try {
      node = JSON.readTree(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      throw new KeyFileException("key file " + path + " does not exist", e);
    } catch (IOException e) {
      throw new KeyFileException(
          "key file " + path + " is not valid JSON: " + firstLine(e.getMessage()), e);
    }
    if (node == null || !node.isObject()) {
      throw new KeyFileException("key file " + path + " does not hold a JSON object");
    }
    String format = node.path("format").asText(null);
    if (!FORMAT.equals(format)) {
      throw new KeyFileException(
          "key file " + path + " has format " + format + ", expected " + FORMAT);
    }
    byte[] seed = hexField(path, node, "seed", Ed25519.SEED_BYTES);
    byte[] publicKey = hexField(path, node, "public_key", Ed25519.PUBLIC_KEY_BYTES);
    Ed25519KeyPair pair = Ed25519KeyPair.fromSeed(seed);
    Arrays.fill(seed, (byte) 0);
    if (!Arrays.equals(pair.publicKey(), publicKey)) {
      pair.destroy();
      throw new KeyFileException("key file " + path + ": public_key does not match the seed");
    }
    return pair;
  }

  private static byte[] hexField(Path path, JsonNode node, String field, int length)
      throws KeyFileException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new KeyFileException("key file " + path + " has no string field '" + field + "'");
    }
    String text = value.asText();
    if (text.length() != 2 * length) {
      throw new KeyFileException(
          "key file "
              + path
              + ": '"
              + field
              + "' must be "
              + 2 * length
              + " hex digits, got "
              + text.length());
    }
    try {
      return HEX.parseHex(text);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException("key file " + path + ": '" + field + "' is not hex", e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
