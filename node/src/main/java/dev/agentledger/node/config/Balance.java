package dev.agentledger.node.config;

/** An account's balance at genesis, in micro-units of the native token. */
public record Balance(String account, long amountMicros) {}
