package dev.agentledger.node.net.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.net.TestKeys;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/** The trust decision alone: who may be a validator's peer, and why others are refused. */
class CommitteeTrustManagerTest {
  static final int CHAIN = 11;
  final Committee committee = TestKeys.committee(4, new int[4], new int[4]);

  static X509Certificate[] certOf(int validator) {
    return new X509Certificate[] {ValidatorCertificate.create(TestKeys.key(validator), CHAIN)};
  }

  @Test
  void theCertificateCarriesTheValidatorKeyAndIsDeterministic() throws Exception {
    X509Certificate cert = ValidatorCertificate.create(TestKeys.key(2), CHAIN);
    assertThat(ValidatorCertificate.ed25519Key(cert)).isEqualTo(TestKeys.key(2).publicKey());
    assertThat(cert.getEncoded())
        .isEqualTo(ValidatorCertificate.create(TestKeys.key(2), CHAIN).getEncoded());
    cert.verify(ValidatorCertificate.publicKey(TestKeys.key(2).publicKey()));
  }

  @Test
  void anAcceptorTakesAnyOtherMemberAndNamesIt() throws Exception {
    CommitteeTrustManager acceptor = new CommitteeTrustManager(committee, 1, CHAIN, -1);
    assertThat(acceptor.peerIndex(certOf(0))).isEqualTo(0);
    assertThat(acceptor.peerIndex(certOf(3))).isEqualTo(3);
    acceptor.checkClientTrusted(certOf(2), "EdDSA");
  }

  @Test
  void aDialerTakesOnlyTheValidatorItDialed() throws Exception {
    CommitteeTrustManager dialer = new CommitteeTrustManager(committee, 0, CHAIN, 2);
    assertThat(dialer.peerIndex(certOf(2))).isEqualTo(2);
    assertThatThrownBy(() -> dialer.checkServerTrusted(certOf(3), "EdDSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("dialed validator 2 but the key belongs to validator 3");
  }

  @Test
  void outsidersOwnKeyWrongChainAndBorrowedKeysAreRefused() {
    CommitteeTrustManager acceptor = new CommitteeTrustManager(committee, 1, CHAIN, -1);
    assertThatThrownBy(() -> acceptor.peerIndex(certOf(42)))
        .hasMessageContaining("not in the committee");
    assertThatThrownBy(() -> acceptor.peerIndex(certOf(1))).hasMessageContaining("own key");
    assertThatThrownBy(
            () ->
                acceptor.peerIndex(
                    new Certificate[] {ValidatorCertificate.create(TestKeys.key(0), CHAIN + 1)}))
        .hasMessageContaining("not a validator certificate of chain 11");
    // Validator 0's key in a certificate signed by someone else's secret.
    X509Certificate borrowed =
        TlsPeers.impostor(TestKeys.key(0).publicKey(), TestKeys.key(42), CHAIN).certificate();
    assertThatThrownBy(() -> acceptor.peerIndex(new Certificate[] {borrowed}))
        .hasMessageContaining("not self-signed by its key");
    assertThatThrownBy(() -> acceptor.peerIndex(new Certificate[0]))
        .hasMessageContaining("exactly one");
    assertThatThrownBy(() -> acceptor.peerIndex(null)).hasMessageContaining("exactly one");
  }

  @Test
  void aKeyThatIsNotTheCommitteeEntryOfSelfIsRefusedAtStart() {
    assertThatThrownBy(() -> new LinkTls(committee, 1, CHAIN, TestKeys.key(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the committee key of validator 1");
  }
}
