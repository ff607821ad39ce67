/**
 * Deployment of bare-metal appliance clusters: planning and writing a cluster ({@code cluster}),
 * host checks ({@code preflight}) and their {@code agentledger} commands ({@code cli}); the scripts
 * and the Ansible role are resources of the module (see its README). Depends on node (its
 * configuration model and command line); only bench depends on this module.
 */
package dev.agentledger.deploy;
