// Exports GenAI spans for one agent with the unmodified OpenTelemetry JS SDK (OTLP/HTTP, JSON),
// twice, to the URL in argv[2]; the agent id is argv[3]. Prints one JSON line with the two export
// results and the tokens sent. Used by OtlpGatewayIT.
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';

const [url, agent] = process.argv.slice(2);
const memory = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': agent }),
  spanProcessors: [new SimpleSpanProcessor(memory)],
});
const tracer = provider.getTracer('agentledger-it');
const calls = [
  { model: 'gpt-4o', input: 120, output: 45 },
  { model: 'claude-sonnet', input: 300, output: 80 },
];
for (const c of calls) {
  const span = tracer.startSpan(`chat ${c.model}`, {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': c.model,
      'gen_ai.usage.input_tokens': c.input,
      'gen_ai.usage.output_tokens': c.output,
    },
  });
  span.end();
}
const spans = memory.getFinishedSpans();
const exporter = new OTLPTraceExporter({ url });
const exportOnce = () => new Promise((resolve) => exporter.export(spans, resolve));
const first = await exportOnce();
const second = await exportOnce(); // the same spans again: the ledger must count them once
await exporter.shutdown();
console.log(
  JSON.stringify({
    results: [first.code, second.code],
    errors: [String(first.error ?? ''), String(second.error ?? '')],
    input_tokens: calls.reduce((s, c) => s + c.input, 0),
    output_tokens: calls.reduce((s, c) => s + c.output, 0),
    spans: spans.length,
  }),
);
