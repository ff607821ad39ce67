/**
 * How the node's agents wait, and what a stage hands its runner: {@link
 * dev.agentledger.node.idle.StageAgent} is an agent with its idle strategy and its lane (which
 * agents may share a thread). {@link dev.agentledger.node.idle.ParkingIdleStrategy} spins, yields,
 * then parks with a growing back-off up to a long cap (shorter while an agent has a timer due), and
 * wakes at once when a producer hands it work; {@code ParkingIdleStrategy.shared} is the strategy
 * of a thread that runs several agents: it parks no longer than the earliest member timer and any
 * member's wake-up unparks it. An idle validator costs a few wake-ups a second per agent instead of
 * one per millisecond (node README, "Idle cost").
 */
package dev.agentledger.node.idle;
