/**
 * The OTLP/HTTP GenAI gateway ({@code agentledger gateway otlp}): OpenTelemetry spans with {@code
 * gen_ai.*} attributes, exported by an unmodified SDK exporter or Collector to {@code POST
 * /v1/traces}, become signed {@code AgentRun} transactions. The gateway holds the agents' keys as a
 * custodian ({@link dev.agentledger.node.gateway.AgentKeystore}), reads their nonces and roles from
 * a validator's query API ({@link dev.agentledger.node.gateway.LedgerAccounts}), and submits over
 * the binary client protocol ({@link dev.agentledger.node.gateway.RunSink}). The span-to-run
 * mapping is pure and lives in {@code gateway.core}; {@link
 * dev.agentledger.node.gateway.SpanIngest} applies it per export; {@link
 * dev.agentledger.node.gateway.OtlpGateway} is the HTTP receiver (OTLP/HTTP specification: protobuf
 * and JSON encodings, partial success, 503 with Retry-After), over HTTPS when given a {@link
 * dev.agentledger.node.net.tls.ServerTls}; it reaches TLS client and query ports of the validators
 * with a {@link dev.agentledger.node.net.tls.ClientTls}.
 */
package dev.agentledger.node.gateway;
