package dev.agentledger.node.cli;

import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.net.tls.ClientTls;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --ca FILE}: how a client command reaches TLS client and query ports. With {@code --ca} it
 * trusts only that CA; otherwise, when the first node configuration has a {@code tls} section, the
 * CA file that section names; otherwise the ports are plaintext.
 */
public final class CaOption {
  @Option(
      names = "--ca",
      paramLabel = "FILE",
      description =
          "Reach TLS client and query ports trusting only this CA (PEM); default: the tls.ca of the first --config, else plaintext.")
  Path ca;

  /**
   * The client TLS to use, or null for plaintext.
   *
   * @throws MalformedInputException when the CA file is missing or bad, or a configuration has TLS
   *     but names no CA and no {@code --ca} is given
   */
  public ClientTls resolve(List<Path> configs) {
    return resolve(ca, configs);
  }

  /** As {@link #resolve(List)} for an explicit {@code ca} (null: from {@code configs}). */
  public static ClientTls resolve(Path ca, List<Path> configs) {
    Path file = ca;
    if (file == null && !configs.isEmpty()) {
      NodeConfig.Tls tls;
      try {
        tls = NodeConfig.load(configs.getFirst()).tls();
      } catch (ConfigException e) {
        throw new MalformedInputException(e.getMessage());
      }
      if (tls != null) {
        if (tls.ca() == null) {
          throw new MalformedInputException(
              configs.getFirst()
                  + ": its ports serve TLS but its tls section names no ca; give --ca FILE");
        }
        file = tls.ca();
      }
    }
    if (file == null) {
      return null;
    }
    try {
      return ClientTls.trusting(file);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("--ca: " + e.getMessage());
    }
  }
}
