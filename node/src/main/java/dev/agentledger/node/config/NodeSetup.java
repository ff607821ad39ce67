package dev.agentledger.node.config;

import dev.agentledger.node.keys.KeyFile;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Everything a validator process needs to start, loaded and cross-checked: its configuration, the
 * genesis, its own committee entry and its key. {@code node run --config FILE} starts here.
 *
 * <p>Cross-checks: the validator id is in the committee, the key file's public key is the one the
 * committee lists for it, the listen ports agree with the advertised committee addresses, and the
 * TLS certificate and key (when configured) load and belong together.
 */
public record NodeSetup(NodeConfig config, Genesis genesis, Validator self, Ed25519KeyPair key) {

  /** Loads {@code configPath}, its genesis and key file; every mismatch is a named problem. */
  public static NodeSetup load(Path configPath) throws IOException {
    NodeConfig config = NodeConfig.load(configPath);
    Genesis genesis = Genesis.load(config.genesis());
    Ed25519KeyPair key;
    try {
      key = KeyFile.read(config.keyFile());
    } catch (KeyFile.KeyFileException e) {
      throw new ConfigException(configPath.toString(), List.of("key_file: " + e.getMessage()));
    }
    List<String> problems = new ArrayList<>();
    Validator self = genesis.validator(config.validatorId()).orElse(null);
    if (self == null) {
      problems.add(
          "validator_id: '"
              + config.validatorId()
              + "' is not in the committee of "
              + config.genesis());
    } else {
      String keyHex = HexFormat.of().formatHex(key.publicKey());
      if (!keyHex.equals(self.publicKey())) {
        problems.add(
            "key_file: public key "
                + keyHex
                + " is not the key the genesis lists for "
                + self.id()
                + " ("
                + self.publicKey()
                + ")");
      }
      if (self.peerAddress().port() != config.peerListen().port()) {
        problems.add(
            "peer_listen: port "
                + config.peerListen().port()
                + " differs from the committee's peer_address "
                + self.peerAddress());
      }
      if (self.clientAddress().port() != config.clientListen().port()) {
        problems.add(
            "client_listen: port "
                + config.clientListen().port()
                + " differs from the committee's client_address "
                + self.clientAddress());
      }
    }
    if (config.tls() != null) {
      try {
        dev.agentledger.node.net.tls.ServerTls.load(config.tls().cert(), config.tls().key());
      } catch (IllegalArgumentException e) {
        problems.add("tls: " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      key.destroy();
      throw new ConfigException(configPath.toString(), problems);
    }
    return new NodeSetup(config, genesis, self, key);
  }
}
