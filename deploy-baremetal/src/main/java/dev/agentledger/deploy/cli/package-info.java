/**
 * The deployment commands of {@code agentledger}: {@code cluster init}, {@code cluster systemd} and
 * {@code preflight}, added to node's picocli command line by {@link
 * dev.agentledger.deploy.cli.DeployCliExtension} through the {@code CliExtension} service, because
 * deploy-baremetal sits above node in the module graph. Commands parse options, call {@code
 * deploy.cluster} or {@code deploy.preflight} and print; malformed options exit 2 with one line on
 * stderr.
 */
package dev.agentledger.deploy.cli;
