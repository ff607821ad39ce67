package dev.agentledger.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.deploy.cluster.ClusterLayout.PlannedNode;
import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.ConfigFiles;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.SigBackend;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterLayoutTest {
  static List<HostSpec> hosts(String yaml) throws ConfigException {
    return HostSpec.fromTree(ConfigFiles.parse("hosts.yaml", yaml.getBytes(), false), "hosts.yaml");
  }

  static List<String> hostProblems(String yaml) {
    try {
      hosts(yaml);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected the hosts file to be refused");
  }

  @Test
  void localDemoPutsValidatorsOnDistinctPortsOfLoopback() throws Exception {
    List<PlannedNode> nodes = ClusterLayout.plan(4, ClusterLayout.localHosts(), 7100, true);
    assertThat(nodes).extracting(PlannedNode::id).containsExactly("v0", "v1", "v2", "v3");
    assertThat(nodes)
        .extracting(n -> n.peerAddress().toString())
        .containsExactly("127.0.0.1:7100", "127.0.0.1:7101", "127.0.0.1:7102", "127.0.0.1:7103");
    assertThat(nodes)
        .extracting(n -> n.metricsListen().port())
        .containsExactly(7400, 7401, 7402, 7403);
    assertThat(nodes).allSatisfy(n -> assertThat(n.dataDir()).isEqualTo(Path.of("data")));
  }

  @Test
  void hostsFileSettingsAndDefaultsApply() throws Exception {
    List<HostSpec> list =
        hosts(
            """
        defaults: {data_dir: /data/al, backend: opencl}
        hosts:
          - 10.0.0.1
          - {address: node2.dc.example, name: rack1-n2, peer_port: 9000, backend: cuda, cpus: 2-9}
          - {address: "fd00::3", listen_host: "::"}
        """);
    List<PlannedNode> nodes = ClusterLayout.plan(5, list, 7100, false);
    PlannedNode v0 = nodes.get(0);
    assertThat(v0.peerListen()).isEqualTo(new HostPort("10.0.0.1", 7100));
    assertThat(v0.dataDir()).isEqualTo(Path.of("/data/al/v0"));
    assertThat(v0.backend()).isEqualTo(SigBackend.OPENCL);
    PlannedNode v1 = nodes.get(1);
    assertThat(v1.hostName()).isEqualTo("rack1-n2");
    assertThat(v1.peerListen()).isEqualTo(new HostPort("0.0.0.0", 9000));
    assertThat(v1.peerAddress()).isEqualTo(new HostPort("node2.dc.example", 9000));
    assertThat(v1.backend()).isEqualTo(SigBackend.CUDA);
    // v1 and v4 share rack1-n2: ports +1, CPUs split in halves
    PlannedNode v4 = nodes.get(4);
    assertThat(v4.hostName()).isEqualTo("rack1-n2");
    assertThat(v4.peerAddress().port()).isEqualTo(9001);
    assertThat(v1.cpus().toString()).isEqualTo("2-5");
    assertThat(v4.cpus().toString()).isEqualTo("6-9");
    assertThat(nodes.get(2).peerListen()).isEqualTo(new HostPort("::", 7100));
    assertThat(nodes.get(2).peerAddress().toString()).isEqualTo("[fd00::3]:7100");
  }

  @Test
  void hostsFileErrorsNameTheField() {
    assertThat(hostProblems("hosts:\n  - a\n  - b\n  - {address: c, peer_port: 70000}\n"))
        .containsExactly("hosts[2].peer_port: 70000 is not a port (1..65535)");
    assertThat(hostProblems("hosts:\n  - {address: c, backend: tpu}\n"))
        .containsExactly("hosts[0].backend: 'tpu' is not one of cpu, opencl, cuda");
    assertThat(hostProblems("hosts:\n  - {address: c, data_dir: rel/dir}\n"))
        .containsExactly("hosts[0].data_dir: 'rel/dir' must be an absolute path on the host");
    assertThat(hostProblems("hosts:\n  - {adress: c}\n")).contains("hosts[0].address: is missing");
    assertThat(hostProblems("hosts:\n  - a\n  - a\n"))
        .containsExactly("hosts[1].name: 'a' is already used by hosts[0]");
    assertThat(hostProblems("hosts: []\n")).containsExactly("hosts: must list at least one host");
    assertThat(hostProblems("host:\n  - a\n")).contains("hosts: is missing (expected a list)");
    assertThat(hostProblems("hosts:\n  - 'bad host'\n"))
        .containsExactly("hosts[0]: 'bad host' is not a host name (character ' ')");
  }

  @Test
  void refusesImpossiblePlans() throws Exception {
    assertThatThrownBy(
            () ->
                ClusterLayout.plan(3, hosts("hosts:\n  - {address: a, cpus: 0-1}\n"), 7100, false))
        .hasMessageContaining("hosts[0].cpus: 0-1 has 2 CPUs for 3 validators");
    assertThatThrownBy(
            () ->
                ClusterLayout.plan(
                    2, hosts("hosts:\n  - {address: a, peer_port: 65535}\n"), 7100, false))
        .hasMessageContaining(
            "hosts[0].peer_port: 65536 is not a port (1..65535) for validator slot 1 on this host");
    assertThatThrownBy(
            () ->
                ClusterLayout.plan(
                    1, hosts("hosts:\n  - {address: a, client_port: 7100}\n"), 7100, false))
        .hasMessageContaining(
            "hosts[0]: port 7100 for v0 client is already taken by v0 peer on the same address");
    assertThatThrownBy(() -> ClusterLayout.plan(0, ClusterLayout.localHosts(), 7100, true))
        .hasMessageContaining("validators: 0 is not a positive count");
    assertThatThrownBy(() -> ClusterLayout.plan(1, ClusterLayout.localHosts(), 65500, true))
        .hasMessageContaining("base_port: 65500 leaves no room");
  }
}
