/** Measurements against the anchors: {@code speed msm} against ffjavascript through node. */
package dev.agentledger.zk.bench;
