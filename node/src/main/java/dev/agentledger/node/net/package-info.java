/**
 * Networking of a node (DESIGN.md section 8): one framed binary protocol ({@link
 * dev.agentledger.node.net.Wire}: u32 length prefix, protocol version, message type, strictly
 * bounded payloads), mutually authenticated validator links ({@link
 * dev.agentledger.node.net.Handshake}: each side signs the other's fresh nonce and both identities
 * with its committee key, SIGMA-style), a client ingress port separate from peer traffic, and
 * non-blocking bounded sends. The I/O leaf is {@code net.netty}; this package has no Netty types.
 */
package dev.agentledger.node.net;
