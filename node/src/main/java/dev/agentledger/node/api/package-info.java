/**
 * The HTTP/JSON API beside the query API: transactions as JSON ({@link
 * dev.agentledger.node.api.TransactionJson}: the record as hex or base64, or its fields plus the
 * Ed25519 signature over the canonical signing message), errors as RFC 9457 problem details ({@link
 * dev.agentledger.node.api.Problem}, {@code application/problem+json}), and the OpenAPI 3.1
 * document ({@link dev.agentledger.node.api.OpenApi}). Pure: no I/O beyond reading the document
 * from the class path. The Netty routes are the leaf {@code api.http}.
 */
package dev.agentledger.node.api;
