/**
 * The pure part of the OTLP gateway: an OpenTelemetry GenAI span ({@link
 * dev.agentledger.node.gateway.core.GenAiSpan}) and its mapping to the fields of an {@code
 * AgentRun} ({@link dev.agentledger.node.gateway.core.SpanMapping}), after the OpenTelemetry
 * semantic conventions for generative AI ({@code gen_ai.*} span attributes). No keys, clocks or
 * I/O.
 */
package dev.agentledger.node.gateway.core;
