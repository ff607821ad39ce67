package dev.agentledger.node.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanMappingTest {
  static GenAiSpan span(Map<String, Object> attributes, String service, int status) {
    byte[] trace = new byte[16];
    trace[0] = 7;
    byte[] id = new byte[8];
    id[0] = 9;
    return new GenAiSpan(
        trace,
        id,
        new byte[0],
        "chat",
        1_700_000_000_000_000_000L,
        1_700_000_000_250_000_000L,
        status,
        attributes,
        service);
  }

  @Test
  void aGenAiSpanBecomesARunOfItsAgent() {
    Map<String, Object> a = new HashMap<>();
    a.put("gen_ai.operation.name", "chat");
    a.put("gen_ai.agent.id", "planner");
    a.put("gen_ai.request.model", "gpt-4o");
    a.put("gen_ai.response.model", "gpt-4o-2024-08-06");
    a.put("gen_ai.usage.input_tokens", 120L);
    a.put("gen_ai.usage.output_tokens", 45L);
    SpanMapping.Mapped m = (SpanMapping.Mapped) SpanMapping.map(span(a, "svc", 1));
    assertThat(m.agentId()).isEqualTo("planner");
    assertThat(m.inputTokens()).isEqualTo(120);
    assertThat(m.outputTokens()).isEqualTo(45);
    assertThat(m.computeMs()).isEqualTo(250);
    assertThat(m.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(m.failed()).isFalse();
  }

  @Test
  void theServiceNameStandsInForAMissingAgentIdAndErrorsFail() {
    Map<String, Object> a = Map.of("gen_ai.request.model", "m", "gen_ai.usage.input_tokens", 3L);
    SpanMapping.Mapped m = (SpanMapping.Mapped) SpanMapping.map(span(a, "billing-agent", 2));
    assertThat(m.agentId()).isEqualTo("billing-agent");
    assertThat(m.model()).isEqualTo("m");
    assertThat(m.outputTokens()).isZero();
    assertThat(m.failed()).isTrue();
  }

  @Test
  void spansWithoutGenAiAttributesAreIgnored() {
    assertThat(SpanMapping.map(span(Map.of("http.method", "GET"), "svc", 0)))
        .isInstanceOf(SpanMapping.Ignored.class);
  }

  @Test
  void badTokenCountsAndMissingAgentsAreRejectedWithTheReason() {
    assertThat(SpanMapping.map(span(Map.of("gen_ai.usage.input_tokens", -1L), "svc", 0)).toString())
        .contains("gen_ai.usage.input_tokens is negative");
    assertThat(
            SpanMapping.map(span(Map.of("gen_ai.usage.output_tokens", 1.5), "svc", 0)).toString())
        .contains("gen_ai.usage.output_tokens must be an integer, got a double");
    assertThat(
            SpanMapping.map(
                    span(
                        Map.of("gen_ai.usage.output_tokens", new GenAiSpan.Unsupported("array")),
                        "svc",
                        0))
                .toString())
        .contains("got a array");
    assertThat(SpanMapping.map(span(Map.of("gen_ai.system", "openai"), null, 0)).toString())
        .contains("no gen_ai.agent.id");
  }
}
