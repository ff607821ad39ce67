package dev.agentledger.node.config;

import dev.agentledger.node.committee.Committee.Delegation;
import java.util.HexFormat;
import java.util.List;

/**
 * A member of the genesis committee.
 *
 * @param id short stable identifier ({@code v0}); names the node's configuration and unit
 * @param name human-readable name
 * @param publicKey Ed25519 public key, 64 lower-case hex digits; authenticates the validator's
 *     links and signs its DAG vertices
 * @param stake voting weight: the sum of {@code delegations}
 * @param delegations who delegated the stake
 * @param peerAddress where other validators reach this one (primary and worker traffic)
 * @param clientAddress where clients submit transactions
 */
public record Validator(
    String id,
    String name,
    String publicKey,
    long stake,
    List<Delegation> delegations,
    HostPort peerAddress,
    HostPort clientAddress) {

  public Validator {
    delegations = List.copyOf(delegations);
  }

  /** The public key as 32 bytes. */
  public byte[] publicKeyBytes() {
    return HexFormat.of().parseHex(publicKey);
  }
}
