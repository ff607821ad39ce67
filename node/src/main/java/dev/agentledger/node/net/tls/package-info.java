/**
 * Validator link security: mutual TLS 1.3 (RFC 8446) through the JDK's SunJSSE engine, with every
 * validator identified by its Ed25519 committee key; and TLS 1.3 on the client-facing ports.
 *
 * <p>Client-facing ports. {@link dev.agentledger.node.net.tls.ServerTls} serves a PEM certificate
 * chain and key (checked to belong together when loaded) on the client port, the query (HTTP) port
 * and the OTLP gateway, without client certificates. {@link dev.agentledger.node.net.tls.ClientTls}
 * trusts only the certificates of one CA file and checks the dialed host against the server
 * certificate's subjectAltName, or trusts exactly one certificate (a node's HTTP API dialing its
 * own client port). {@link dev.agentledger.node.net.tls.LabCa} makes a lab ECDSA P-256 CA and its
 * server certificates for {@code cluster init --tls}.
 *
 * <p>Identity. Each validator presents a self-signed X.509 certificate ({@link
 * dev.agentledger.node.net.tls.ValidatorCertificate}) whose subject key is its committee key (RFC
 * 8410), built at start from the key file. A peer is trusted only if its certificate's key is a
 * committee member other than ourselves, and, on a link we dialed, the key of the validator we
 * dialed ({@link dev.agentledger.node.net.tls.CommitteeTrustManager}); the certificate's subject
 * also names the chain id. The link's identity is that verified key, mapped to a committee index
 * once the handshake completes ({@link dev.agentledger.node.net.tls.LinkTls#peerIndex}).
 *
 * <p>Why this holds against the attacks a handshake of our own was open to:
 *
 * <ul>
 *   <li>Key possession and freshness: each side signs the whole handshake transcript, which holds
 *       both sides' fresh randoms and ephemeral (EC)DHE shares (CertificateVerify, section 4.4.3),
 *       and proves knowledge of the derived keys (Finished, section 4.4.4). A recorded session's
 *       bytes replayed to a node fail its Finished check: the node's new ephemeral share changes
 *       every key.
 *   <li>Channel binding: every record after the handshake is encrypted and authenticated (AEAD,
 *       section 5.2) under keys derived from that ephemeral secret and the transcript. A relay that
 *       forwards the handshake between two honest validators learns no key, cannot read the frames
 *       and cannot inject, drop within, or reorder them without the receiver closing the connection
 *       at the first bad record; it can only cut the TCP connection it carries, which it could do
 *       without TLS.
 *   <li>Unknown and wrong keys: a key outside the committee, our own key, or another member's key
 *       where a specific validator was dialed fails the trust decision during the handshake; a
 *       certificate that names a member's key but is held by someone else fails CertificateVerify.
 *   <li>No 0-RTT data (the JDK does not send or accept early data) and no session resumption (each
 *       dial has a fresh context, so a dialer never offers a ticket): every link is a full
 *       handshake with certificates.
 * </ul>
 *
 * <p>Outside this package's guarantees: traffic analysis (sizes and timing of records), and denial
 * of service by an on-path attacker who cuts connections; a node keeps an established link when
 * other connections claim the same validator (see {@code net.netty}).
 */
package dev.agentledger.node.net.tls;
