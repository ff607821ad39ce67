/**
 * HTTP/1.1 (RFC 9112) transport of the query API over Netty: a thin adapter from {@code
 * FullHttpRequest} to {@link dev.agentledger.node.query.QueryApi#handle} and back. The only package
 * of the query side that touches Netty.
 */
package dev.agentledger.node.query.http;
