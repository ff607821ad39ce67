package dev.agentledger.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HostPortAndCpuListTest {
  @Test
  void parsesHostsAndIpv6() {
    assertThat(HostPort.parse("node-1.dc.example:7100"))
        .isEqualTo(new HostPort("node-1.dc.example", 7100));
    assertThat(HostPort.parse("[fd00::1]:7100")).isEqualTo(new HostPort("fd00::1", 7100));
    assertThat(new HostPort("fd00::1", 7100).toString()).isEqualTo("[fd00::1]:7100");
    assertThatThrownBy(() -> HostPort.parse("fd00::1:7100"))
        .hasMessageContaining("write IPv6 addresses as [address]:port");
    assertThatThrownBy(() -> HostPort.parse("h:0")).hasMessage("0 is not a port (1..65535)");
    assertThatThrownBy(() -> HostPort.parse("-h:1")).hasMessageContaining("is not a host name");
  }

  @Test
  void cpuListsCollapseRanges() {
    assertThat(CpuList.parse("0-3, 8,10-11,9").toString()).isEqualTo("0-3,8-11");
    assertThat(CpuList.parse("").isEmpty()).isTrue();
    assertThat(CpuList.parse("7").contains(7)).isTrue();
    assertThatThrownBy(() -> CpuList.parse("1,,2")).hasMessageContaining("empty item");
    assertThatThrownBy(() -> CpuList.parse("99999"))
        .hasMessage("CPU 99999 is out of range (0..8191)");
  }

  @Property(tries = 200)
  void cpuListRoundTripsThroughText(
      @ForAll @Size(max = 20) java.util.List<@IntRange(min = 0, max = 64) Integer> cpus) {
    CpuList list = CpuList.of(cpus.stream().mapToInt(Integer::intValue).toArray());
    assertThat(CpuList.parse(list.toString())).isEqualTo(list);
    assertThat(list.toArray())
        .containsExactly(cpus.stream().distinct().sorted().mapToInt(Integer::intValue).toArray());
  }
}
