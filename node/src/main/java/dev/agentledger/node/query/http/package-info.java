/**
 * HTTP/1.1 (RFC 9112) transport of the query API over Netty: a thin adapter from {@code
 * FullHttpRequest} to {@link dev.agentledger.node.query.QueryApi#handle} and back, with room in
 * front for other routes ({@code QueryHttpServer.withRoutes}: the HTTP/JSON API of {@code
 * api.http}), served as HTTPS (TLS 1.3) when given a {@link
 * dev.agentledger.node.net.tls.ServerTls}. The only package of the query side that touches Netty.
 */
package dev.agentledger.node.query.http;
