package dev.agentledger.node.net.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A lab certificate authority for a test or lab cluster's client-facing ports: an ECDSA P-256 CA
 * (accepted by JDK clients, curl/OpenSSL and Python's {@code ssl}) that issues P-256 server
 * certificates naming the hosts and IP addresses a node is reached by (subjectAltName), signed with
 * SHA-256. Not for production: the CA key lives in memory and is never written.
 */
public final class LabCa {
  private static final Duration VALIDITY = Duration.ofDays(825);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair key;
  private final X509Certificate certificate;

  private LabCa(KeyPair key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /** A new CA named {@code CN=name}. */
  public static LabCa create(String name) {
    try {
      KeyPair key = p256();
      X500Principal subject = commonName(name);
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(VALIDITY)),
              subject,
              key.getPublic());
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              utils.createSubjectKeyIdentifier(key.getPublic()));
      return new LabCa(key, sign(builder, key));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot make a lab CA", e);
    }
  }

  /** The CA certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** A server certificate and its key, issued by a {@link LabCa}. */
  public record Issued(X509Certificate certificate, KeyPair key) {
    /** Writes the certificate (mode 0644) and its PKCS#8 key (mode 0600); never overwrites. */
    public void write(Path certFile, Path keyFile) throws IOException {
      writeNew(certFile, pem(certificate), false);
      writeNew(keyFile, pem(key.getPrivate()), true);
    }
  }

  /**
   * A server certificate for {@code names}: each an IP address literal (an IP subjectAltName) or a
   * DNS name; the first is also the subject's common name.
   */
  public Issued issue(Collection<String> names) {
    Set<String> unique = new LinkedHashSet<>(names);
    if (unique.isEmpty()) {
      throw new IllegalArgumentException("a server certificate needs at least one name");
    }
    try {
      KeyPair serverKey = p256();
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              certificate,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(VALIDITY)),
              commonName(unique.iterator().next()),
              serverKey.getPublic());
      List<GeneralName> altNames = new ArrayList<>();
      for (String name : unique) {
        altNames.add(
            isIpLiteral(name)
                ? new GeneralName(GeneralName.iPAddress, name)
                : new GeneralName(GeneralName.dNSName, name));
      }
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(
              Extension.keyUsage,
              true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(altNames.toArray(new GeneralName[0])))
          .addExtension(
              Extension.authorityKeyIdentifier,
              false,
              utils.createAuthorityKeyIdentifier(certificate))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              utils.createSubjectKeyIdentifier(serverKey.getPublic()));
      return new Issued(sign(builder, key), serverKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + unique, e);
    }
  }

  /** Writes the CA certificate as PEM (mode 0644); never overwrites. */
  public void writeCertificate(Path file) throws IOException {
    writeNew(file, pem(certificate), false);
  }

  /** {@code CN=name}, any characters allowed (no RFC 4514 string parsing). */
  private static X500Principal commonName(String name) {
    try {
      return new X500Principal(
          new org.bouncycastle.asn1.x500.X500NameBuilder(
                  org.bouncycastle.asn1.x500.style.BCStyle.INSTANCE)
              .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, name)
              .build()
              .getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isIpLiteral(String name) {
    if (!name.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      return false;
    }
    try {
      InetAddress.getByName(name); // a literal never resolves through DNS
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static KeyPair p256() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).setBit(63);
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      if (object instanceof java.security.PrivateKey key) {
        writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
      } else {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }

  private static void writeNew(Path file, String text, boolean secret) throws IOException {
    // created with its final mode, so a key is never readable by others, not even briefly
    Files.createFile(
        file,
        PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
    Files.writeString(file, text, StandardOpenOption.WRITE);
  }
}
