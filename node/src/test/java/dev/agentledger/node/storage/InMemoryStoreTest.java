package dev.agentledger.node.storage;

import dev.agentledger.node.storage.memory.InMemoryStore;

class InMemoryStoreTest extends AbstractStoreTest {
  @Override
  protected Store open() {
    return new InMemoryStore();
  }
}
