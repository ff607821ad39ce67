/**
 * The cluster projection model (DESIGN.md section 9: projections are labelled as projections and
 * derived from measured per-stage costs). Inputs carry a provenance label (measured, published,
 * assumed) and outputs are labelled derived; the text output lists every input with its label and
 * source. The model is a bottleneck (roofline-style) bound per resource: the shard rate is the
 * minimum over CPU, GPU, network and disk limits (Williams, Waterman, Patterson, "Roofline", CACM
 * 2009, for the style of reasoning).
 */
package dev.agentledger.bench.projection;
