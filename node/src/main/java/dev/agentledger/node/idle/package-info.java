/**
 * How the node's agents wait: {@link dev.agentledger.node.idle.ParkingIdleStrategy} spins, yields,
 * then parks with a growing back-off up to a long cap (shorter while an agent has a timer due), and
 * wakes at once when a producer hands it work. An idle validator costs a few wake-ups a second per
 * agent instead of one per millisecond (node README, "Idle cost").
 */
package dev.agentledger.node.idle;
