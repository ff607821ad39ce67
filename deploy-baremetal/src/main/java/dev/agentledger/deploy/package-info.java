/** Deployment support for bare-metal appliance clusters; see the module README. */
package dev.agentledger.deploy;
