/**
 * Networking of a node (DESIGN.md section 8): one framed binary protocol ({@link
 * dev.agentledger.node.net.Wire}: u32 length prefix, protocol version, message type, strictly
 * bounded payloads), validator links that are mutual TLS 1.3 with each side identified by its
 * committee key ({@code net.tls}; the frames travel unchanged inside TLS), a client ingress port
 * separate from peer traffic, and non-blocking bounded sends. The I/O leaf is {@code net.netty};
 * this package has no Netty types. A client connection id carries a keyed hash of the remote
 * address ({@link dev.agentledger.node.net.ClientConnectionIds}) so that stages behind the
 * transport can rate-limit per address without a lookup.
 */
package dev.agentledger.node.net;
