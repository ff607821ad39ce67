package dev.agentledger.node.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  @TempDir Path dir;

  @Test
  void writesOwnerOnlyFileThatReadsBackTheSameKey() throws Exception {
    Ed25519KeyPair key = Ed25519.generate(new SecureRandom());
    Path file = dir.resolve("validator.key");
    KeyFile.write(file, key);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    Ed25519KeyPair read = KeyFile.read(file);
    assertThat(read.publicKey()).isEqualTo(key.publicKey());
    assertThat(read.seed()).isEqualTo(key.seed());
    byte[] message = "run".getBytes(StandardCharsets.UTF_8);
    assertThat(Ed25519.verify(key.publicKey(), read.sign(message), message)).isTrue();
  }

  @Test
  void refusesToOverwriteAndLeavesTheOriginalIntact() throws Exception {
    Path file = dir.resolve("k");
    Ed25519KeyPair first = Ed25519.generate(new SecureRandom());
    KeyFile.write(file, first);
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(() -> KeyFile.write(file, Ed25519.generate(new SecureRandom())))
        .isInstanceOf(KeyFile.KeyFileException.class)
        .hasMessageContaining("refusing to overwrite");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void namesWhatIsWrongWithABadFile() throws Exception {
    assertThatThrownBy(() -> KeyFile.read(dir.resolve("missing")))
        .hasMessageContaining("does not exist");
    assertThat(bad("not json")).contains("not valid JSON");
    assertThat(bad("[1,2]")).contains("JSON object");
    assertThat(bad("{\"format\":\"other\"}")).contains("format other");
    String pub = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    String seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    assertThat(bad("{\"format\":\"" + KeyFile.FORMAT + "\",\"public_key\":\"" + pub + "\"}"))
        .contains("'seed'");
    assertThat(
            bad(
                "{\"format\":\""
                    + KeyFile.FORMAT
                    + "\",\"public_key\":\""
                    + pub
                    + "\",\"seed\":\"abc\"}"))
        .contains("64 hex digits");
    assertThat(
            bad(
                "{\"format\":\""
                    + KeyFile.FORMAT
                    + "\",\"public_key\":\""
                    + pub
                    + "\",\"seed\":\""
                    + "zz".repeat(32)
                    + "\"}"))
        .contains("not hex");
    String otherPub = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    assertThat(
            bad(
                "{\"format\":\""
                    + KeyFile.FORMAT
                    + "\",\"public_key\":\""
                    + otherPub
                    + "\",\"seed\":\""
                    + seed
                    + "\"}"))
        .contains("does not match");
    // The well-formed RFC 8032 key loads.
    Path good = dir.resolve("good");
    Files.writeString(
        good,
        "{\"format\":\""
            + KeyFile.FORMAT
            + "\",\"public_key\":\""
            + pub
            + "\",\"seed\":\""
            + seed
            + "\"}");
    assertThat(KeyFile.read(good).publicKey()).isEqualTo(java.util.HexFormat.of().parseHex(pub));
  }

  @Test
  void refusesAMissingDirectory() {
    assertThatThrownBy(
            () -> KeyFile.write(dir.resolve("no/such/dir/k"), Ed25519.generate(new SecureRandom())))
        .hasMessageContaining("does not exist");
  }

  private String bad(String content) throws Exception {
    Path file = Files.createTempFile(dir, "bad", ".key");
    Files.writeString(file, content);
    try {
      KeyFile.read(file);
    } catch (KeyFile.KeyFileException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted " + content);
  }
}
