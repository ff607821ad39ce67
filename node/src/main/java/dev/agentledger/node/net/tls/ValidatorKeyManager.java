package dev.agentledger.node.net.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers the one validator identity (its Ed25519 key and {@link ValidatorCertificate}) on both
 * sides of a link, for the EdDSA key type only; the peer's accepted-issuer list is ignored since no
 * certificate authority is involved. Immutable and thread-safe.
 */
final class ValidatorKeyManager extends X509ExtendedKeyManager {
  static final String ALIAS = "validator";

  private final PrivateKey key;
  private final X509Certificate certificate;

  ValidatorKeyManager(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  private String aliasFor(String keyType) {
    return key.getAlgorithm().equals(keyType) || "Ed25519".equals(keyType) ? ALIAS : null;
  }

  private String aliasFor(String[] keyTypes) {
    if (keyTypes != null) {
      for (String keyType : keyTypes) {
        if (aliasFor(keyType) != null) {
          return ALIAS;
        }
      }
    }
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return aliasFor(keyType) == null ? null : new String[] {ALIAS};
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return aliasFor(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return aliasFor(keyType) == null ? null : new String[] {ALIAS};
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? new X509Certificate[] {certificate} : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
