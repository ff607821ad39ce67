package dev.agentledger.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The agents a load test signs with, all derived from one secret master seed so that {@code cluster
 * init} (which registers them in the genesis) and the load generator (which signs as them) agree
 * without exchanging thousands of keys. Agent {@code i}'s Ed25519 seed is
 *
 * <pre>SHA-256("agentledger/load-agent/v1" || master (32 bytes) || u32le(i))</pre>
 *
 * (a hash-based key derivation in the manner of RFC 8032's seed-to-key step; the domain string
 * keeps these keys apart from every other use of the master). The seed file, written with mode 0600
 * and never overwritten, is
 *
 * <pre>{"format":"agentledger-load-agents/v1","count":N,"master_seed":"64 hex"}</pre>
 *
 * Anyone holding it can sign as every load agent: it belongs to the test network only.
 */
public final class LoadAgents {
  /** The format tag of the seed file. */
  public static final String FORMAT = "agentledger-load-agents/v1";

  /** The domain-separation prefix of the key derivation. */
  public static final String DOMAIN = "agentledger/load-agent/v1";

  /**
   * Name of the seed file that {@code cluster init --load-agents N} writes into its output
   * directory.
   */
  public static final String FILE_NAME = "load-agents.seed";

  /** Most load agents one genesis may register. */
  public static final int MAX_COUNT = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final byte[] master;
  private final int count;

  /**
   * @param master the 32-byte master seed (copied)
   * @param count how many agents are registered (indexes {@code 0..count-1})
   */
  public LoadAgents(byte[] master, int count) {
    if (master.length != 32) {
      throw new IllegalArgumentException("the master seed has 32 bytes, got " + master.length);
    }
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException(
          "load agents: " + count + " is out of range (1.." + MAX_COUNT + ")");
    }
    this.master = master.clone();
    this.count = count;
  }

  /** A fresh random master seed. */
  public static LoadAgents generate(int count, SecureRandom random) {
    byte[] master = new byte[32];
    random.nextBytes(master);
    try {
      return new LoadAgents(master, count);
    } finally {
      Arrays.fill(master, (byte) 0);
    }
  }

  public int count() {
    return count;
  }

  /** The Ed25519 seed of agent {@code index}. */
  public byte[] seed(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("load agent " + index + " of " + count);
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    sha.update(DOMAIN.getBytes(StandardCharsets.US_ASCII));
    sha.update(master);
    sha.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(index).array());
    return sha.digest();
  }

  /** The key pair of agent {@code index}. */
  public Ed25519KeyPair key(int index) {
    byte[] seed = seed(index);
    try {
      return Ed25519KeyPair.fromSeed(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** Public key of agent {@code index}, 64 lower-case hex. */
  public String publicKeyHex(int index) {
    Ed25519KeyPair key = key(index);
    try {
      return HexFormat.of().formatHex(key.publicKey());
    } finally {
      key.destroy();
    }
  }

  /** Writes the seed file: a new file, mode 0600, forced to disk; refuses to overwrite. */
  public void write(Path path) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("format", FORMAT);
    node.put("count", count);
    node.put("master_seed", HexFormat.of().formatHex(master));
    byte[] bytes = (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel =
            FileChannel.open(
                path,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        OutputStream out = Channels.newOutputStream(channel)) {
      out.write(bytes);
      out.flush();
      channel.force(true);
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(
          path.toString(), null, "refusing to overwrite existing load-agent seed file");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Reads a seed file written by {@link #write}; every problem names the file and the field. */
  public static LoadAgents read(Path path) throws ConfigException {
    JsonNode node;
    try {
      node = JSON.readTree(Files.readString(path));
    } catch (IOException e) {
      throw new ConfigException(
          path.toString(), List.of("cannot read load-agent seed file: " + e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw new ConfigException(path.toString(), List.of("not a JSON object"));
    }
    if (!FORMAT.equals(node.path("format").asText())) {
      throw new ConfigException(path.toString(), List.of("format: expected " + FORMAT));
    }
    JsonNode count = node.path("count");
    if (!count.canConvertToInt() || count.asInt() < 1 || count.asInt() > MAX_COUNT) {
      throw new ConfigException(
          path.toString(), List.of("count: must be an integer in 1.." + MAX_COUNT));
    }
    String hex = node.path("master_seed").asText("");
    byte[] master;
    try {
      master = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(path.toString(), List.of("master_seed: not hex"));
    }
    if (master.length != 32) {
      throw new ConfigException(path.toString(), List.of("master_seed: must be 64 hex digits"));
    }
    try {
      return new LoadAgents(master, count.asInt());
    } finally {
      Arrays.fill(master, (byte) 0);
    }
  }
}
