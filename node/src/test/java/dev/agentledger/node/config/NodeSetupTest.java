package dev.agentledger.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.committee.Committee.Delegation;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.keys.KeyFile;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeSetupTest {
  @Test
  void loadsConfigGenesisAndKeyAndCrossChecksThem(@TempDir Path dir) throws Exception {
    Ed25519KeyPair key = Ed25519KeyPair.fromSeed(new byte[32]);
    Ed25519KeyPair other =
        Ed25519KeyPair.fromSeed(
            new byte[] {
              1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
              25, 26, 27, 28, 29, 30, 31, 32
            });
    String pub = HexFormat.of().formatHex(key.publicKey());
    KeyFile.write(dir.resolve("validator.key"), key);
    KeyFile.write(dir.resolve("other.key"), other);
    Genesis genesis =
        new Genesis(
            9,
            0,
            List.of(
                new Validator(
                    "v0",
                    "v0",
                    pub,
                    10,
                    List.of(new Delegation(pub, 10)),
                    new HostPort("127.0.0.1", 7100),
                    new HostPort("127.0.0.1", 7200))),
            FeeSchedule.defaults(),
            List.of(pub),
            List.of());
    genesis.write(dir.resolve("genesis.yaml"));
    String node =
        """
        format: agentledger-node/v1
        validator_id: v0
        key_file: validator.key
        genesis: genesis.yaml
        data_dir: data
        peer_listen: 127.0.0.1:7100
        client_listen: 127.0.0.1:7200
        query_listen: 127.0.0.1:7300
        metrics_listen: 127.0.0.1:7400
        """;
    Files.writeString(dir.resolve("node.yaml"), node);
    NodeSetup setup = NodeSetup.load(dir.resolve("node.yaml"));
    assertThat(setup.self().id()).isEqualTo("v0");
    assertThat(setup.key().publicKey()).isEqualTo(key.publicKey());
    assertThat(setup.genesis()).isEqualTo(genesis);

    Files.writeString(dir.resolve("wrong-key.yaml"), node.replace("validator.key", "other.key"));
    assertThatThrownBy(() -> NodeSetup.load(dir.resolve("wrong-key.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "key_file: public key "
                + HexFormat.of().formatHex(other.publicKey())
                + " is not the key the genesis lists for v0");
    Files.writeString(
        dir.resolve("wrong-id.yaml"),
        node.replace("validator_id: v0", "validator_id: v7").replace("7100", "7101"));
    assertThatThrownBy(() -> NodeSetup.load(dir.resolve("wrong-id.yaml")))
        .hasMessageContaining("validator_id: 'v7' is not in the committee of");
    Files.writeString(
        dir.resolve("wrong-port.yaml"), node.replace("127.0.0.1:7100", "0.0.0.0:7101"));
    assertThatThrownBy(() -> NodeSetup.load(dir.resolve("wrong-port.yaml")))
        .hasMessageContaining(
            "peer_listen: port 7101 differs from the committee's peer_address 127.0.0.1:7100");
    Files.writeString(dir.resolve("no-key.yaml"), node.replace("validator.key", "absent.key"));
    assertThatThrownBy(() -> NodeSetup.load(dir.resolve("no-key.yaml")))
        .hasMessageContaining("key_file: key file")
        .hasMessageContaining("does not exist");
  }
}
