package dev.agentledger.node.worker.core;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.net.Wire;
import dev.agentledger.sig.Ed25519;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Proof that a batch is available: signatures of validators holding more than 2/3 of the stake over
 * {@link #ackMessage} (Narwhal's worker availability certificate, Danezis et al., "Narwhal and
 * Tusk", EuroSys 2022, section 4.1). Signers are strictly increasing validator indices.
 */
public record BatchCertificate(
    int author, long seq, byte[] digest, int txCount, int[] signers, byte[][] signatures) {
  public static final byte[] ACK_DOMAIN =
      "agentledger/batch-ack/v1".getBytes(StandardCharsets.US_ASCII);
  public static final int ACK_MESSAGE_LENGTH = ACK_DOMAIN.length + 4 + 2 + 8 + 32 + 4;
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  /** The bytes every acknowledging validator signs. */
  public static void ackMessage(
      int chainId, int author, long seq, byte[] digest, int txCount, byte[] out) {
    UnsafeBuffer b = new UnsafeBuffer(out);
    b.putBytes(0, ACK_DOMAIN);
    int p = ACK_DOMAIN.length;
    b.putInt(p, chainId, LE);
    b.putShort(p + 4, (short) author, LE);
    b.putLong(p + 6, seq, LE);
    b.putBytes(p + 14, digest, 0, 32);
    b.putInt(p + 46, txCount, LE);
  }

  public String digestHex() {
    return HexFormat.of().formatHex(digest);
  }

  /** Encodes as a BATCH_CERT frame at {@code b[offset]}; returns the frame length. */
  public int encode(MutableDirectBuffer b, int offset) {
    int p = offset + Wire.header(b, offset, dev.agentledger.node.net.MessageType.BATCH_CERT);
    b.putShort(p + Wire.BATCH_AUTHOR, (short) author, LE);
    b.putLong(p + Wire.BATCH_SEQ, seq, LE);
    b.putBytes(p + Wire.BATCH_DIGEST, digest, 0, 32);
    b.putInt(p + Wire.CERT_TX_COUNT, txCount, LE);
    b.putShort(p + Wire.CERT_SIG_COUNT, (short) signers.length, LE);
    for (int i = 0; i < signers.length; i++) {
      int e = p + Wire.CERT_SIGS + i * Wire.CERT_SIG_ENTRY;
      b.putShort(e, (short) signers[i], LE);
      b.putBytes(e + 2, signatures[i], 0, 64);
    }
    return encodedLength();
  }

  public int encodedLength() {
    return Wire.HEADER_LENGTH + Wire.CERT_SIGS + signers.length * Wire.CERT_SIG_ENTRY;
  }

  public byte[] toBytes() {
    UnsafeBuffer b = new UnsafeBuffer(new byte[encodedLength()]);
    encode(b, 0);
    return b.byteArray();
  }

  /** Decodes a BATCH_CERT frame that passed {@link Wire#validate}. */
  public static BatchCertificate decode(DirectBuffer b, int offset) {
    int p = offset + Wire.HEADER_LENGTH;
    int author = Short.toUnsignedInt(b.getShort(p + Wire.BATCH_AUTHOR, LE));
    long seq = b.getLong(p + Wire.BATCH_SEQ, LE);
    byte[] digest = new byte[32];
    b.getBytes(p + Wire.BATCH_DIGEST, digest);
    int txCount = b.getInt(p + Wire.CERT_TX_COUNT, LE);
    int n = Short.toUnsignedInt(b.getShort(p + Wire.CERT_SIG_COUNT, LE));
    int[] signers = new int[n];
    byte[][] sigs = new byte[n][64];
    for (int i = 0; i < n; i++) {
      int e = p + Wire.CERT_SIGS + i * Wire.CERT_SIG_ENTRY;
      signers[i] = Short.toUnsignedInt(b.getShort(e, LE));
      b.getBytes(e + 2, sigs[i]);
    }
    return new BatchCertificate(author, seq, digest, txCount, signers, sigs);
  }

  /**
   * The checks of {@link #verify} that need no signature: null when the author is in {@code
   * committee} and the signers are strictly increasing committee indices, else why not.
   */
  public String formError(Committee committee) {
    if (author < 0 || author >= committee.size()) {
      return "author " + author + " is not in the committee";
    }
    int previous = -1;
    for (int s : signers) {
      if (s <= previous || s >= committee.size()) {
        return "signers not strictly increasing committee indices";
      }
      previous = s;
    }
    return null;
  }

  /** The stake the signers hold in {@code committee} (after {@link #formError} found none). */
  public long signerStake(Committee committee) {
    long stake = 0;
    for (int s : signers) {
      stake += committee.stake(s);
    }
    return stake;
  }

  /** Null when valid under {@code committee}, else why not. */
  public String verify(Committee committee, int chainId) {
    if (author >= committee.size()) {
      return "author " + author + " is not in the committee";
    }
    byte[] message = new byte[ACK_MESSAGE_LENGTH];
    ackMessage(chainId, author, seq, digest, txCount, message);
    long stake = 0;
    int previous = -1;
    byte[] key = new byte[32];
    for (int i = 0; i < signers.length; i++) {
      int s = signers[i];
      if (s <= previous || s >= committee.size()) {
        return "signers not strictly increasing committee indices";
      }
      previous = s;
      committee.copyKey(s, key, 0);
      if (!Ed25519.verify(key, signatures[i], message)) {
        return "signature of validator " + s + " does not verify";
      }
      stake += committee.stake(s);
    }
    return committee.isQuorum(stake) ? null : "signers hold no quorum of stake";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchCertificate c
        && c.author == author
        && c.seq == seq
        && c.txCount == txCount
        && Arrays.equals(c.digest, digest)
        && Arrays.equals(c.signers, signers)
        && Arrays.deepEquals(c.signatures, signatures);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "BatchCertificate[author="
        + author
        + " seq="
        + seq
        + " txs="
        + txCount
        + " digest="
        + digestHex().substring(0, 16)
        + "… signers="
        + Arrays.toString(signers)
        + "]";
  }
}
