// The API reference page: Swagger UI rendering the document the server
// builds at start (GET /api/docs/openapi.json). Swagger UI is vendored
// (pb_public/vendor/swagger-ui) and configured to fetch nothing from
// another origin: no validator badge, no remote configuration.
/* global SwaggerUIBundle */

SwaggerUIBundle({
  url: '/api/docs/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  validatorUrl: null, // the default posts the document to a public validator
  configUrl: null,
  queryConfigEnabled: false,
  tryItOutEnabled: false,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
})
