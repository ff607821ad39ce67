package dev.agentledger.node.consensus.core;

import java.nio.charset.StandardCharsets;

/**
 * A validator's vote for a vertex: "I hold this vertex, its parents and its batches, and I vote for
 * no other vertex of this author in this round". The voter signs {@link #signingBytes}.
 */
public record Vote(Digest vertex, long round, int author, int voter, byte[] signature) {
  static final byte[] DOMAIN = "agentledger/vote/v1".getBytes(StandardCharsets.US_ASCII);

  /** A new vote for {@code vertex} by {@code voter}. */
  public static Vote create(Vertex vertex, int voter, Signer signer) {
    return new Vote(
        vertex.digest(),
        vertex.round(),
        vertex.author(),
        voter,
        signer.sign(signingBytes(vertex.digest())));
  }

  /** The bytes a voter signs for a vertex digest. */
  public static byte[] signingBytes(Digest vertex) {
    byte[] out = new byte[DOMAIN.length + Digest.BYTES];
    System.arraycopy(DOMAIN, 0, out, 0, DOMAIN.length);
    vertex.writeTo(out, DOMAIN.length);
    return out;
  }

  public Vote withSignature(byte[] other) {
    return new Vote(vertex, round, author, voter, other);
  }
}
