package dev.agentledger.node.consensus.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A DAG vertex (Narwhal "header"): the author's proposal for one round. It names the batches the
 * author's workers made available (batch-certificate digests), the certificates of the previous
 * round it builds on (parents; at least a quorum of stake unless the round is 0), and certificates
 * of older rounds that were not yet in its parents' causal history ({@link WeakLink}s). The digest
 * is SHA-256 of the canonical encoding; the author signs {@link #signingBytes()}.
 */
public final class Vertex {
  static final byte[] DOMAIN = "agentledger/vertex/v2".getBytes(StandardCharsets.US_ASCII);

  private final long epoch;
  private final long round;
  private final int author;
  private final List<Digest> batches;
  private final List<Digest> parents;
  private final List<WeakLink> weakLinks;
  private final Digest digest;
  private final byte[] signature;

  private Vertex(
      long epoch,
      long round,
      int author,
      List<Digest> batches,
      List<Digest> parents,
      List<WeakLink> weakLinks,
      Digest digest,
      byte[] signature) {
    this.epoch = epoch;
    this.round = round;
    this.author = author;
    this.batches = batches;
    this.parents = parents;
    this.weakLinks = weakLinks;
    this.digest = digest;
    this.signature = signature;
  }

  /** A new vertex without weak links signed by {@code signer}. */
  public static Vertex create(
      long epoch,
      long round,
      int author,
      List<Digest> batches,
      List<Digest> parents,
      Signer signer) {
    return create(epoch, round, author, batches, parents, List.of(), signer);
  }

  /** A new vertex signed by {@code signer}. */
  public static Vertex create(
      long epoch,
      long round,
      int author,
      List<Digest> batches,
      List<Digest> parents,
      List<WeakLink> weakLinks,
      Signer signer) {
    List<Digest> b = List.copyOf(batches);
    List<Digest> p = List.copyOf(parents);
    List<WeakLink> w = List.copyOf(weakLinks);
    Digest digest = computeDigest(epoch, round, author, b, p, w);
    return new Vertex(epoch, round, author, b, p, w, digest, signer.sign(signingBytes(digest)));
  }

  /**
   * A vertex decoded from the wire or the store: the digest is recomputed from the fields, so a
   * changed field yields a different digest and the author's signature no longer verifies.
   */
  public static Vertex of(
      long epoch,
      long round,
      int author,
      List<Digest> batches,
      List<Digest> parents,
      byte[] signature) {
    return of(epoch, round, author, batches, parents, List.of(), signature);
  }

  /** {@link #of(long, long, int, List, List, byte[])} with weak links. */
  public static Vertex of(
      long epoch,
      long round,
      int author,
      List<Digest> batches,
      List<Digest> parents,
      List<WeakLink> weakLinks,
      byte[] signature) {
    List<Digest> b = List.copyOf(batches);
    List<Digest> p = List.copyOf(parents);
    List<WeakLink> w = List.copyOf(weakLinks);
    return new Vertex(
        epoch,
        round,
        author,
        b,
        p,
        w,
        computeDigest(epoch, round, author, b, p, w),
        signature.clone());
  }

  /** The same vertex carrying another signature (used to model forged or corrupted messages). */
  public Vertex withSignature(byte[] otherSignature) {
    return new Vertex(epoch, round, author, batches, parents, weakLinks, digest, otherSignature);
  }

  static Digest computeDigest(
      long epoch,
      long round,
      int author,
      List<Digest> batches,
      List<Digest> parents,
      List<WeakLink> weakLinks) {
    ByteBuffer buf =
        ByteBuffer.allocate(
            DOMAIN.length
                + 8
                + 8
                + 4
                + 4
                + 4
                + 4
                + Digest.BYTES * (batches.size() + parents.size())
                + (8 + Digest.BYTES) * weakLinks.size());
    buf.put(DOMAIN)
        .putLong(epoch)
        .putLong(round)
        .putInt(author)
        .putInt(batches.size())
        .putInt(parents.size())
        .putInt(weakLinks.size());
    byte[] tmp = new byte[Digest.BYTES];
    for (Digest d : batches) {
      d.writeTo(tmp, 0);
      buf.put(tmp);
    }
    for (Digest d : parents) {
      d.writeTo(tmp, 0);
      buf.put(tmp);
    }
    for (WeakLink w : weakLinks) {
      w.digest().writeTo(tmp, 0);
      buf.putLong(w.round()).put(tmp);
    }
    return Digest.sha256(buf.array());
  }

  /** The bytes the author signs: domain tag then the digest. */
  public static byte[] signingBytes(Digest digest) {
    byte[] out = new byte[DOMAIN.length + Digest.BYTES];
    System.arraycopy(DOMAIN, 0, out, 0, DOMAIN.length);
    digest.writeTo(out, DOMAIN.length);
    return out;
  }

  public byte[] signingBytes() {
    return signingBytes(digest);
  }

  public long epoch() {
    return epoch;
  }

  public long round() {
    return round;
  }

  public int author() {
    return author;
  }

  public List<Digest> batches() {
    return batches;
  }

  public List<Digest> parents() {
    return parents;
  }

  /** Certificates of older rounds named besides the parents (see {@link WeakLink}). */
  public List<WeakLink> weakLinks() {
    return weakLinks;
  }

  public Digest digest() {
    return digest;
  }

  public byte[] signature() {
    return signature;
  }

  @Override
  public String toString() {
    return "V(r" + round + ",a" + author + "," + digest + ")";
  }
}
