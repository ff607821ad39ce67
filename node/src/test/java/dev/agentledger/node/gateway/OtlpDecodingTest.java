package dev.agentledger.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.agentledger.node.gateway.core.GenAiSpan;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpDecodingTest {
  static final String TRACE = "0102030405060708090a0b0c0d0e0f10";
  static final String SPAN = "1112131415161718";

  static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  /** One export with one GenAI span, in protobuf. */
  static ExportTraceServiceRequest request() {
    Span span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE)))
            .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(SPAN)))
            .setName("chat")
            .setStartTimeUnixNano(1_700_000_000_000_000_000L)
            .setEndTimeUnixNano(1_700_000_000_500_000_000L)
            .setStatus(Status.newBuilder().setCodeValue(2))
            .addAttributes(
                kv("gen_ai.usage.input_tokens", AnyValue.newBuilder().setIntValue(12).build()))
            .addAttributes(
                kv("gen_ai.request.model", AnyValue.newBuilder().setStringValue("m").build()))
            .addAttributes(kv("flag", AnyValue.newBuilder().setBoolValue(true).build()))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            kv("service.name", AnyValue.newBuilder().setStringValue("a1").build())))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build();
  }

  static final String JSON =
      """
      {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"a1"}}]},
       "scopeSpans":[{"scope":{"name":"x"},"spans":[{"traceId":"%s","spanId":"%s","parentSpanId":"",
       "name":"chat","kind":1,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":1700000000500000000,
       "attributes":[{"key":"gen_ai.usage.input_tokens","value":{"intValue":"12"}},
                     {"key":"gen_ai.request.model","value":{"stringValue":"m"}},
                     {"key":"flag","value":{"boolValue":true}}],
       "status":{"code":2},"unknownField":1}]}]}]}
      """
          .formatted(TRACE, SPAN);

  @Test
  void protobufAndJsonGiveTheSameSpan() throws Exception {
    List<GenAiSpan> fromProtobuf = OtlpDecoding.protobuf(request().toByteArray());
    List<GenAiSpan> fromJson = OtlpDecoding.json(JSON.getBytes(StandardCharsets.UTF_8));
    assertThat(fromProtobuf).hasSize(1);
    assertThat(fromJson).hasSize(1);
    for (GenAiSpan s : List.of(fromProtobuf.get(0), fromJson.get(0))) {
      assertThat(HexFormat.of().formatHex(s.traceId())).isEqualTo(TRACE);
      assertThat(HexFormat.of().formatHex(s.spanId())).isEqualTo(SPAN);
      assertThat(s.parentSpanId()).isEmpty();
      assertThat(s.startNs()).isEqualTo(1_700_000_000_000_000_000L);
      assertThat(s.endNs()).isEqualTo(1_700_000_000_500_000_000L);
      assertThat(s.statusCode()).isEqualTo(2);
      assertThat(s.serviceName()).isEqualTo("a1");
      assertThat(s.attributes())
          .containsEntry("gen_ai.usage.input_tokens", 12L)
          .containsEntry("gen_ai.request.model", "m")
          .containsEntry("flag", true);
    }
  }

  @Test
  void malformedExportsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> OtlpDecoding.protobuf(new byte[] {(byte) 0xff, 1, 2}))
        .isInstanceOf(OtlpDecoding.MalformedExport.class);
    assertThatThrownBy(() -> OtlpDecoding.json("{".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not JSON");
    assertThatThrownBy(
            () -> OtlpDecoding.json(JSON.replace(TRACE, "zz").getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("traceId");
    assertThatThrownBy(
            () ->
                OtlpDecoding.json(
                    JSON.replace("\"intValue\":\"12\"", "\"intValue\":\"1e99\"")
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("intValue");
    assertThatThrownBy(
            () -> OtlpDecoding.json("{\"resourceSpans\":{}}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("resourceSpans must be an array");
  }
}
