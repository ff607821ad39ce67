// Validates an OpenAPI document (a file path or an http(s) URL) with @apidevtools/swagger-parser:
// JSON Schema validation of the document against the OpenAPI 3.1 schema, then its $refs.
// Prints one JSON line {"valid":true,"openapi":...,"paths":N} or {"valid":false,"error":...};
// exits 0 when valid, 1 when not.
import SwaggerParser from "@apidevtools/swagger-parser";

const source = process.argv[2];
try {
  const api = await SwaggerParser.validate(source);
  console.log(JSON.stringify({ valid: true, openapi: api.openapi, paths: Object.keys(api.paths).length }));
} catch (e) {
  console.log(JSON.stringify({ valid: false, error: String(e.message || e) }));
  process.exit(1);
}
