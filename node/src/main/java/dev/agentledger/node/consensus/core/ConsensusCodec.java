package dev.agentledger.node.consensus.core;

import dev.agentledger.node.consensus.core.ConsensusMessage.BatchMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.CertificateMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.FetchRequest;
import dev.agentledger.node.consensus.core.ConsensusMessage.FetchResponse;
import dev.agentledger.node.consensus.core.ConsensusMessage.VertexMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.VoteMessage;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte encoding of {@link ConsensusMessage}s on validator links and of certificates in the
 * store. Big-endian; every count is bounded before anything is allocated, and a decode must consume
 * the input exactly, so any malformed or trailing input is refused with {@link
 * IllegalArgumentException} (never another exception, never an unbounded allocation).
 *
 * <pre>
 *   message      u8 kind | body
 *   VERTEX (1)   vertex
 *   VOTE (2)     vertex_digest[32] | u64 round | u16 author | u16 voter | signature[64]
 *   CERT (3)     certificate
 *   FETCH_REQ(4) u16 nc | u16 nb | nc x digest[32] | nb x digest[32]
 *   FETCH_RSP(5) u16 nc | nc x certificate | u16 nb | nb x (u32 len | payload)
 *   BATCH (6)    u32 len | payload
 *   vertex       u64 epoch | u64 round | u16 author | u16 nb | u16 np | u16 nw | nb x digest
 *                | np x digest | nw x (u64 round | digest) | signature[64]
 *   certificate  vertex | u16 nv | nv x (u16 voter | signature[64])
 * </pre>
 */
public final class ConsensusCodec {
  private ConsensusCodec() {}

  public static final byte VERTEX = 1;
  public static final byte VOTE = 2;
  public static final byte CERTIFICATE = 3;
  public static final byte FETCH_REQUEST = 4;
  public static final byte FETCH_RESPONSE = 5;
  public static final byte BATCH = 6;

  /** Most batch digests one vertex may name. */
  public static final int MAX_VERTEX_BATCHES = 1024;

  /** Most weak links one vertex may carry. */
  public static final int MAX_WEAK_LINKS = 1024;

  /** Most parents, votes: one per committee member. */
  public static final int MAX_MEMBERS = 256;

  /** Most items of a fetch request or response. */
  public static final int MAX_FETCH_ITEMS = 1024;

  /** Largest batch payload (a worker batch certificate with 256 signers fits). */
  public static final int MAX_BATCH_PAYLOAD = 32 * 1024;

  /** Largest encoded message. */
  public static final int MAX_MESSAGE = 1 << 20;

  private static final int SIG = 64;

  // ---------------------------------------------------------------- encode

  public static byte[] encode(ConsensusMessage message) {
    ByteBuffer b = ByteBuffer.allocate(size(message));
    switch (message) {
      case VertexMessage m -> {
        b.put(VERTEX);
        putVertex(b, m.vertex());
      }
      case VoteMessage m -> {
        b.put(VOTE);
        Vote v = m.vote();
        putDigest(b, v.vertex());
        b.putLong(v.round())
            .putShort((short) v.author())
            .putShort((short) v.voter())
            .put(v.signature());
      }
      case CertificateMessage m -> {
        b.put(CERTIFICATE);
        putCertificate(b, m.certificate());
      }
      case FetchRequest m -> {
        b.put(FETCH_REQUEST);
        b.putShort((short) m.certificates().size()).putShort((short) m.batches().size());
        m.certificates().forEach(d -> putDigest(b, d));
        m.batches().forEach(d -> putDigest(b, d));
      }
      case FetchResponse m -> {
        b.put(FETCH_RESPONSE);
        b.putShort((short) m.certificates().size());
        m.certificates().forEach(c -> putCertificate(b, c));
        b.putShort((short) m.batches().size());
        m.batches().forEach(x -> b.putInt(x.payload().length).put(x.payload()));
      }
      case BatchMessage m -> {
        b.put(BATCH);
        b.putInt(m.batch().payload().length).put(m.batch().payload());
      }
    }
    if (b.hasRemaining()) {
      throw new IllegalStateException("size mismatch");
    }
    return b.array();
  }

  /** A certificate alone (the store's form). */
  public static byte[] encodeCertificate(Certificate c) {
    ByteBuffer b = ByteBuffer.allocate(certificateSize(c));
    putCertificate(b, c);
    return b.array();
  }

  private static int size(ConsensusMessage message) {
    return 1
        + switch (message) {
          case VertexMessage m -> vertexSize(m.vertex());
          case VoteMessage m -> 32 + 8 + 2 + 2 + SIG;
          case CertificateMessage m -> certificateSize(m.certificate());
          case FetchRequest m -> 4 + 32 * (m.certificates().size() + m.batches().size());
          case FetchResponse m -> {
            int n = 4;
            for (Certificate c : m.certificates()) {
              n += certificateSize(c);
            }
            for (Batch x : m.batches()) {
              n += 4 + x.payload().length;
            }
            yield n;
          }
          case BatchMessage m -> 4 + m.batch().payload().length;
        };
  }

  private static int vertexSize(Vertex v) {
    return 8
        + 8
        + 2
        + 2
        + 2
        + 2
        + 32 * (v.batches().size() + v.parents().size())
        + 40 * v.weakLinks().size()
        + SIG;
  }

  private static int certificateSize(Certificate c) {
    return vertexSize(c.vertex()) + 2 + c.votes().size() * (2 + SIG);
  }

  private static void putDigest(ByteBuffer b, Digest d) {
    b.putLong(d.w0()).putLong(d.w1()).putLong(d.w2()).putLong(d.w3());
  }

  private static void putVertex(ByteBuffer b, Vertex v) {
    b.putLong(v.epoch()).putLong(v.round()).putShort((short) v.author());
    b.putShort((short) v.batches().size())
        .putShort((short) v.parents().size())
        .putShort((short) v.weakLinks().size());
    v.batches().forEach(d -> putDigest(b, d));
    v.parents().forEach(d -> putDigest(b, d));
    for (WeakLink w : v.weakLinks()) {
      b.putLong(w.round());
      putDigest(b, w.digest());
    }
    b.put(v.signature());
  }

  private static void putCertificate(ByteBuffer b, Certificate c) {
    putVertex(b, c.vertex());
    b.putShort((short) c.votes().size());
    for (Vote v : c.votes()) {
      b.putShort((short) v.voter()).put(v.signature());
    }
  }

  // ---------------------------------------------------------------- decode

  /** Decodes one whole message; {@link IllegalArgumentException} when malformed in any way. */
  public static ConsensusMessage decode(byte[] bytes, int offset, int length) {
    if (length < 1 || length > MAX_MESSAGE || offset < 0 || offset + length > bytes.length) {
      throw new IllegalArgumentException("consensus message length " + length);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, offset, length);
    try {
      ConsensusMessage m =
          switch (b.get()) {
            case VERTEX -> new VertexMessage(getVertex(b));
            case VOTE -> {
              Digest d = getDigest(b);
              long round = nonNegative(b.getLong());
              int author = Short.toUnsignedInt(b.getShort());
              int voter = Short.toUnsignedInt(b.getShort());
              yield new VoteMessage(new Vote(d, round, author, voter, signature(b)));
            }
            case CERTIFICATE -> new CertificateMessage(getCertificate(b));
            case FETCH_REQUEST -> {
              int nc = count(b.getShort(), MAX_FETCH_ITEMS);
              int nb = count(b.getShort(), MAX_FETCH_ITEMS);
              yield new FetchRequest(digests(b, nc), digests(b, nb));
            }
            case FETCH_RESPONSE -> {
              int nc = count(b.getShort(), MAX_FETCH_ITEMS);
              List<Certificate> certs = new ArrayList<>(Math.min(nc, 64));
              for (int i = 0; i < nc; i++) {
                certs.add(getCertificate(b));
              }
              int nb = count(b.getShort(), MAX_FETCH_ITEMS);
              List<Batch> batches = new ArrayList<>(Math.min(nb, 64));
              for (int i = 0; i < nb; i++) {
                batches.add(getBatch(b));
              }
              yield new FetchResponse(certs, batches);
            }
            case BATCH -> new BatchMessage(getBatch(b));
            default -> throw new IllegalArgumentException("unknown consensus message kind");
          };
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(b.remaining() + " trailing bytes");
      }
      return m;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated consensus message", e);
    }
  }

  /** A certificate in the store's form. */
  public static Certificate decodeCertificate(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    try {
      Certificate c = getCertificate(b);
      if (b.hasRemaining()) {
        throw new IllegalArgumentException("trailing bytes after certificate");
      }
      return c;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated certificate", e);
    }
  }

  private static int count(short raw, int max) {
    int n = Short.toUnsignedInt(raw);
    if (n > max) {
      throw new IllegalArgumentException("count " + n + " above " + max);
    }
    return n;
  }

  private static long nonNegative(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("negative round or epoch");
    }
    return v;
  }

  private static Digest getDigest(ByteBuffer b) {
    return new Digest(b.getLong(), b.getLong(), b.getLong(), b.getLong());
  }

  private static List<Digest> digests(ByteBuffer b, int n) {
    if (b.remaining() < 32L * n) {
      throw new IllegalArgumentException("truncated digest list");
    }
    List<Digest> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(getDigest(b));
    }
    return out;
  }

  private static byte[] signature(ByteBuffer b) {
    byte[] s = new byte[SIG];
    b.get(s);
    return s;
  }

  private static Vertex getVertex(ByteBuffer b) {
    long epoch = nonNegative(b.getLong());
    long round = nonNegative(b.getLong());
    int author = Short.toUnsignedInt(b.getShort());
    int nb = count(b.getShort(), MAX_VERTEX_BATCHES);
    int np = count(b.getShort(), MAX_MEMBERS);
    int nw = count(b.getShort(), MAX_WEAK_LINKS);
    List<Digest> batches = digests(b, nb);
    List<Digest> parents = digests(b, np);
    if (b.remaining() < 40L * nw) {
      throw new IllegalArgumentException("truncated weak links");
    }
    List<WeakLink> weakLinks = new ArrayList<>(nw);
    for (int i = 0; i < nw; i++) {
      long linkRound = nonNegative(b.getLong());
      if (linkRound + 1 >= round) {
        throw new IllegalArgumentException(
            "weak link to round " + linkRound + " in round " + round);
      }
      weakLinks.add(new WeakLink(linkRound, getDigest(b)));
    }
    return Vertex.of(epoch, round, author, batches, parents, weakLinks, signature(b));
  }

  private static Certificate getCertificate(ByteBuffer b) {
    Vertex v = getVertex(b);
    int nv = count(b.getShort(), MAX_MEMBERS);
    List<Vote> votes = new ArrayList<>(nv);
    for (int i = 0; i < nv; i++) {
      int voter = Short.toUnsignedInt(b.getShort());
      votes.add(new Vote(v.digest(), v.round(), v.author(), voter, signature(b)));
    }
    return new Certificate(v, votes);
  }

  private static Batch getBatch(ByteBuffer b) {
    int len = b.getInt();
    if (len < 1 || len > MAX_BATCH_PAYLOAD || len > b.remaining()) {
      throw new IllegalArgumentException("batch payload length " + len);
    }
    byte[] payload = new byte[len];
    b.get(payload);
    return Batch.of(payload);
  }
}
