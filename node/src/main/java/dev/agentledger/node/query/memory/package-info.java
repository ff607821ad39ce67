/** In-memory {@link dev.agentledger.node.query.QueryStore}: the reference implementation. */
package dev.agentledger.node.query.memory;
