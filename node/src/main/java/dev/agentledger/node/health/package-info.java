/**
 * Liveness and readiness of a node, as answered on {@code /health} and {@code /ready}.
 *
 * <p>A {@link dev.agentledger.node.health.HealthReport} is a set of named checks, each passed or
 * failed with a one-line detail; the report passes when every check passes. Liveness ({@code
 * /health}) says whether the process should be left running: its agents run and its storage accepts
 * writes. Readiness ({@code /ready}) says whether it should be sent work: it is live, its links
 * reach a quorum of the committee's stake, it has executed everything consensus committed, and it
 * has not refused submissions as overloaded lately. A supervisor restarts a node that is not live;
 * a load balancer or a rolling restart waits for a node that is not ready. The shape follows the
 * Kubernetes probe convention (kubernetes.io/docs/reference/using-api/health-checks): 200 when the
 * report passes, 503 when it does not, and a small JSON body naming each check.
 */
package dev.agentledger.node.health;
