package dev.agentledger.node.net;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The mutual authentication of one validator link, as a small state machine with no I/O: both sides
 * send {@code HELLO(chain_id, key, nonce)} with a fresh random nonce, then {@code AUTH(signature)}
 * where each signs
 *
 * <pre>  "agentledger/handshake/v1" || chain_id (u32 LE) || peer_nonce || own_key || peer_key</pre>
 *
 * with its validator Ed25519 key. Signing the other side's fresh nonce proves possession of the key
 * now (no replay from an earlier connection); naming both keys in a fixed order binds the signature
 * to this pair and direction (no reflection of our own AUTH back to us), in the manner of the
 * SIGMA-style "sign the peer's challenge and both identities" handshakes (Krawczyk, SIGMA, CRYPTO
 * 2003, section 5; the same shape as TLS 1.3 CertificateVerify over the transcript, RFC 8446
 * section 4.4.3). A key outside the committee, a wrong chain id, a repeated nonce, a dialed peer
 * answering with another key, or a bad signature refuses the link. Single-threaded per link.
 */
public final class Handshake {
  public static final byte[] DOMAIN =
      "agentledger/handshake/v1".getBytes(StandardCharsets.US_ASCII);
  static final int MESSAGE_LENGTH = DOMAIN.length + 4 + 32 + 32 + 32;

  private final Committee committee;
  private final int chainId;
  private final Ed25519KeyPair self;
  private final byte[] selfKey;
  private final int expectedPeer;
  private final NonceRegistry nonces;
  private final byte[] myNonce;
  private final byte[] peerNonce = new byte[32];
  private final byte[] peerKey = new byte[32];
  private final byte[] scratch = new byte[MESSAGE_LENGTH];
  private final byte[] signature = new byte[64];
  private int peerIndex = -1;
  private boolean helloReceived;
  private boolean authenticated;

  /**
   * @param expectedPeer the validator index this side dialed, or -1 on the accepting side
   * @param myNonce 32 fresh random bytes
   */
  public Handshake(
      Committee committee,
      int chainId,
      Ed25519KeyPair self,
      int expectedPeer,
      NonceRegistry nonces,
      byte[] myNonce) {
    this.committee = committee;
    this.chainId = chainId;
    this.self = self;
    this.selfKey = self.publicKey();
    this.expectedPeer = expectedPeer;
    this.nonces = nonces;
    this.myNonce = myNonce.clone();
  }

  public int writeHello(MutableDirectBuffer buffer, int offset) {
    return Wire.hello(buffer, offset, chainId, selfKey, myNonce);
  }

  /**
   * Handles the peer's HELLO payload at {@code payload} (frame already validated).
   *
   * @return null when accepted, else the refusal reason
   */
  public String onHello(DirectBuffer buffer, int payload) {
    if (helloReceived) {
      return "second HELLO";
    }
    helloReceived = true;
    if (buffer.getInt(payload + Wire.HELLO_CHAIN_ID, Wire.LE) != chainId) {
      return "wrong chain id";
    }
    buffer.getBytes(payload + Wire.HELLO_KEY, peerKey, 0, 32);
    buffer.getBytes(payload + Wire.HELLO_NONCE, peerNonce, 0, 32);
    int index = committee.indexOf(peerKey, 0);
    if (index < 0) {
      return "key is not in the committee";
    }
    if (java.util.Arrays.equals(peerKey, selfKey)) {
      return "peer claims our own key";
    }
    if (expectedPeer >= 0 && index != expectedPeer) {
      return "dialed validator " + expectedPeer + " but key belongs to " + index;
    }
    if (java.util.Arrays.equals(peerNonce, myNonce) || !nonces.firstSeen(peerNonce, 0)) {
      return "replayed handshake nonce";
    }
    peerIndex = index;
    return null;
  }

  /** Our AUTH, valid only after an accepted HELLO. */
  public int writeAuth(MutableDirectBuffer buffer, int offset) {
    if (peerIndex < 0) {
      throw new IllegalStateException("no accepted HELLO yet");
    }
    transcript(peerNonce, selfKey, peerKey);
    self.sign(scratch, 0, MESSAGE_LENGTH, signature, 0);
    return Wire.auth(buffer, offset, signature);
  }

  /**
   * Handles the peer's AUTH payload.
   *
   * @return null when the peer is authenticated, else the refusal reason
   */
  public String onAuth(DirectBuffer buffer, int payload) {
    if (peerIndex < 0) {
      return "AUTH before HELLO";
    }
    if (authenticated) {
      return "second AUTH";
    }
    buffer.getBytes(payload, signature, 0, 64);
    transcript(myNonce, peerKey, selfKey);
    if (!Ed25519.verify(peerKey, 0, signature, 0, scratch, 0, MESSAGE_LENGTH)) {
      return "handshake signature does not verify";
    }
    authenticated = true;
    return null;
  }

  private void transcript(byte[] nonce, byte[] signerKey, byte[] otherKey) {
    int at = 0;
    System.arraycopy(DOMAIN, 0, scratch, at, DOMAIN.length);
    at += DOMAIN.length;
    scratch[at++] = (byte) chainId;
    scratch[at++] = (byte) (chainId >>> 8);
    scratch[at++] = (byte) (chainId >>> 16);
    scratch[at++] = (byte) (chainId >>> 24);
    System.arraycopy(nonce, 0, scratch, at, 32);
    System.arraycopy(signerKey, 0, scratch, at + 32, 32);
    System.arraycopy(otherKey, 0, scratch, at + 64, 32);
  }

  public boolean authenticated() {
    return authenticated;
  }

  /** The authenticated (or HELLO-accepted) peer's validator index, or -1. */
  public int peerIndex() {
    return peerIndex;
  }
}
