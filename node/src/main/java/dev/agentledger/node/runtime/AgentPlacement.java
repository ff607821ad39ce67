package dev.agentledger.node.runtime;

import dev.agentledger.node.config.CpuList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which CPUs each agent's thread is pinned to under {@link ThreadingMode#DEDICATED}: the node
 * configuration's {@code agent_cores}, by role. An agent's role is the first word of its role name
 * ({@code primary} for {@code primary-0}, {@code verify} for {@code verify-0-1}); every agent of a
 * role gets the role's CPUs (the kernel spreads them), an agent of a role not named is not pinned.
 * Pure: the pinning itself is {@link ThreadAffinity}'s.
 *
 * @param coresByRole CPUs by role name; a role with an empty list is not pinned
 */
public record AgentPlacement(Map<String, CpuList> coresByRole) {
  /** No agent pinned. */
  public static final AgentPlacement NONE = new AgentPlacement(Map.of());

  public AgentPlacement {
    coresByRole = Map.copyOf(new TreeMap<>(coresByRole));
  }

  /** The role of an agent: its role name up to the first {@code -}. */
  public static String role(String agentRoleName) {
    int dash = agentRoleName.indexOf('-');
    return dash < 0 ? agentRoleName : agentRoleName.substring(0, dash);
  }

  /** The CPUs of the agent named {@code agentRoleName} (empty: not pinned). */
  public CpuList coresOf(String agentRoleName) {
    return coresByRole.getOrDefault(role(agentRoleName), CpuList.empty());
  }

  /** Whether no agent is pinned. */
  public boolean isEmpty() {
    return coresByRole.values().stream().allMatch(CpuList::isEmpty);
  }

  /**
   * What is wrong with this placement for a process that may run on {@code allowed} under {@code
   * mode}: one line per problem, in the configuration's spelling (empty: none).
   */
  public List<String> problems(ThreadingMode mode, CpuList allowed) {
    List<String> problems = new ArrayList<>();
    if (isEmpty()) {
      return problems;
    }
    if (mode != ThreadingMode.DEDICATED) {
      problems.add(
          "agent_cores pins agents only under threading dedicated (threading is "
              + mode.configName()
              + ")");
      return problems;
    }
    for (Map.Entry<String, CpuList> e : new TreeMap<>(coresByRole).entrySet()) {
      List<Integer> outside = new ArrayList<>();
      for (int cpu : e.getValue().toArray()) {
        if (!allowed.contains(cpu)) {
          outside.add(cpu);
        }
      }
      if (!outside.isEmpty()) {
        problems.add(
            "agent_cores."
                + e.getKey()
                + ": CPU "
                + CpuList.of(outside.stream().mapToInt(Integer::intValue).toArray())
                + " is not one this process may run on ("
                + allowed
                + ")");
      }
    }
    return problems;
  }
}
