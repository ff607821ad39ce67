/**
 * The HTTP API's routes on the query port (Netty): {@link
 * dev.agentledger.node.api.http.ApiHttpHandler} answers {@code POST /v1/transactions}, {@code POST
 * /v1/transactions/encode} and {@code GET /openapi.json} in front of the query API's handler and
 * passes every other request on; {@link dev.agentledger.node.api.http.IngressLink} submits over one
 * client-protocol connection to the node's own client port, on an event loop of the HTTP server, so
 * JSON submissions meet exactly the ingress of SUBMIT frames; over TLS when the client port is TLS,
 * trusting exactly the node's own certificate.
 */
package dev.agentledger.node.api.http;
