package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.sig.Ed25519KeyPair;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class HandshakeTest {
  static final int CHAIN = 7;
  final Committee committee = TestKeys.committee(4, new int[4], new int[4]);

  static byte[] nonce(int v) {
    byte[] n = new byte[32];
    n[0] = (byte) v;
    n[5] = (byte) (v >> 8);
    return n;
  }

  UnsafeBuffer hello(Handshake h) {
    UnsafeBuffer b = new UnsafeBuffer(new byte[200]);
    h.writeHello(b, 0);
    return b;
  }

  UnsafeBuffer auth(Handshake h) {
    UnsafeBuffer b = new UnsafeBuffer(new byte[200]);
    h.writeAuth(b, 0);
    return b;
  }

  @Test
  void honestPairAuthenticatesBothWays() {
    Handshake dialer =
        new Handshake(committee, CHAIN, TestKeys.key(0), 1, new NonceRegistry(16), nonce(1));
    Handshake acceptor =
        new Handshake(committee, CHAIN, TestKeys.key(1), -1, new NonceRegistry(16), nonce(2));
    assertThat(acceptor.onHello(hello(dialer), Wire.HEADER_LENGTH)).isNull();
    assertThat(dialer.onHello(hello(acceptor), Wire.HEADER_LENGTH)).isNull();
    assertThat(acceptor.onAuth(auth(dialer), Wire.HEADER_LENGTH)).isNull();
    assertThat(dialer.onAuth(auth(acceptor), Wire.HEADER_LENGTH)).isNull();
    assertThat(acceptor.peerIndex()).isEqualTo(0);
    assertThat(dialer.peerIndex()).isEqualTo(1);
  }

  @Test
  void keyOutsideCommitteeIsRefused() {
    Ed25519KeyPair outsider = TestKeys.key(99);
    Handshake impostor =
        new Handshake(committee, CHAIN, outsider, 1, new NonceRegistry(16), nonce(1));
    Handshake acceptor =
        new Handshake(committee, CHAIN, TestKeys.key(1), -1, new NonceRegistry(16), nonce(2));
    assertThat(acceptor.onHello(hello(impostor), Wire.HEADER_LENGTH))
        .contains("not in the committee");
  }

  @Test
  void impostorClaimingAMembersKeyFailsTheSignature() {
    // Claims validator 0's public key in HELLO but signs with its own secret.
    Ed25519KeyPair outsider = TestKeys.key(99);
    Committee fake =
        new Committee(
            0,
            0,
            java.util.List.of(
                new Committee.Validator(0, outsider.publicKey(), 1),
                new Committee.Validator(1, TestKeys.key(1).publicKey(), 1)));
    Handshake acceptor =
        new Handshake(committee, CHAIN, TestKeys.key(1), -1, new NonceRegistry(16), nonce(2));
    UnsafeBuffer claimed = new UnsafeBuffer(new byte[200]);
    Wire.hello(claimed, 0, CHAIN, TestKeys.key(0).publicKey(), nonce(1));
    assertThat(acceptor.onHello(claimed, Wire.HEADER_LENGTH)).isNull();
    Handshake impostor = new Handshake(fake, CHAIN, outsider, 1, new NonceRegistry(16), nonce(1));
    assertThat(impostor.onHello(hello(acceptor), Wire.HEADER_LENGTH)).isNull();
    assertThat(acceptor.onAuth(auth(impostor), Wire.HEADER_LENGTH)).contains("does not verify");
  }

  @Test
  void replayedHelloAndReplayedAuthAreRefused() {
    NonceRegistry acceptorNonces = new NonceRegistry(16);
    Handshake dialer =
        new Handshake(committee, CHAIN, TestKeys.key(0), 1, new NonceRegistry(16), nonce(1));
    Handshake first =
        new Handshake(committee, CHAIN, TestKeys.key(1), -1, acceptorNonces, nonce(2));
    UnsafeBuffer recordedHello = hello(dialer);
    assertThat(first.onHello(recordedHello, Wire.HEADER_LENGTH)).isNull();
    dialer.onHello(hello(first), Wire.HEADER_LENGTH);
    UnsafeBuffer recordedAuth = auth(dialer);
    assertThat(first.onAuth(recordedAuth, Wire.HEADER_LENGTH)).isNull();

    // Same HELLO again (same nonce): refused outright.
    Handshake second =
        new Handshake(committee, CHAIN, TestKeys.key(1), -1, acceptorNonces, nonce(3));
    assertThat(second.onHello(recordedHello, Wire.HEADER_LENGTH)).contains("replayed");

    // Fresh HELLO nonce but the recorded AUTH: it signed the old acceptor nonce, so it fails.
    Handshake third =
        new Handshake(committee, CHAIN, TestKeys.key(1), -1, acceptorNonces, nonce(4));
    UnsafeBuffer freshHello = new UnsafeBuffer(new byte[200]);
    Wire.hello(freshHello, 0, CHAIN, TestKeys.key(0).publicKey(), nonce(5));
    assertThat(third.onHello(freshHello, Wire.HEADER_LENGTH)).isNull();
    assertThat(third.onAuth(recordedAuth, Wire.HEADER_LENGTH)).contains("does not verify");
  }

  @Test
  void reflectedAuthIsRefused() {
    Handshake acceptor =
        new Handshake(committee, CHAIN, TestKeys.key(1), -1, new NonceRegistry(16), nonce(2));
    UnsafeBuffer h = new UnsafeBuffer(new byte[200]);
    Wire.hello(h, 0, CHAIN, TestKeys.key(0).publicKey(), nonce(9));
    assertThat(acceptor.onHello(h, Wire.HEADER_LENGTH)).isNull();
    // An attacker bounces the acceptor's own AUTH back at it.
    assertThat(acceptor.onAuth(auth(acceptor), Wire.HEADER_LENGTH)).contains("does not verify");
  }

  @Test
  void wrongChainAndWrongDialedPeerAreRefused() {
    Handshake dialer =
        new Handshake(committee, CHAIN + 1, TestKeys.key(0), 1, new NonceRegistry(16), nonce(1));
    Handshake acceptor =
        new Handshake(committee, CHAIN, TestKeys.key(1), -1, new NonceRegistry(16), nonce(2));
    assertThat(acceptor.onHello(hello(dialer), Wire.HEADER_LENGTH)).contains("chain");
    Handshake dialsTwo =
        new Handshake(committee, CHAIN, TestKeys.key(0), 2, new NonceRegistry(16), nonce(3));
    assertThat(dialsTwo.onHello(hello(acceptor), Wire.HEADER_LENGTH))
        .contains("dialed validator 2");
  }
}
