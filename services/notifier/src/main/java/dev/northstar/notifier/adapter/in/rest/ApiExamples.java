package dev.northstar.notifier.adapter.in.rest;

/** Examples of the notifier's answers, for its OpenAPI document (checked to parse by OpenApiExamplesTest). */
final class ApiExamples {

    static final String CREATED = """
            {"id": "wh_5f2c9a1e7b3d4c60", "projectId": "acme", "url": "https://hooks.example.com/northstar",
             "events": ["recommendation_changed", "failure_spike"], "createdAt": "2026-11-28T10:00:00Z",
             "secret": "whsec_3q2-7wEXAMPLEa1b2c3",
             "signature": "Northstar-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \\"<unix seconds>.\\" + raw body)>"}""";

    static final String LIST = """
            {"projectId": "acme", "webhooks": [{"id": "wh_5f2c9a1e7b3d4c60", "projectId": "acme",
             "url": "https://hooks.example.com/northstar", "events": ["recommendation_changed"],
             "createdAt": "2026-11-28T10:00:00Z"}]}""";

    static final String WEBHOOK = """
            {"id": "wh_5f2c9a1e7b3d4c60", "projectId": "acme", "url": "https://hooks.example.com/northstar",
             "events": ["recommendation_changed"], "createdAt": "2026-11-28T10:00:00Z"}""";

    static final String DELIVERIES = """
            {"webhookId": "wh_5f2c9a1e7b3d4c60", "deliveries": [{"id": "al_0b8e6f3a9c2d4e71",
             "webhookId": "wh_5f2c9a1e7b3d4c60", "projectId": "acme", "feature": "export",
             "type": "recommendation_changed", "status": "delivered", "createdAt": "2026-11-28T10:05:00Z",
             "attemptCount": 2, "attempts": [{"at": "2026-11-28T10:05:00Z", "status": 503, "error": "answered 503",
             "millis": 41}, {"at": "2026-11-28T10:05:31Z", "status": 200, "millis": 35}],
             "body": "{\\"id\\":\\"al_0b8e6f3a9c2d4e71\\",\\"type\\":\\"recommendation_changed\\"}"}]}""";

    static final String BAD_URL = """
            {"type": "/problems/invalid", "title": "Bad Request", "status": 400,
             "detail": "url's host 'metadata.internal' is 169.254.169.254, a link-local address: refused unless an operator allows its network (NORTHSTAR_NOTIFIER_ALLOWED_NETWORKS)"}""";

    static final String NO_ADMIN_TOKEN = """
            {"type": "/problems/unauthorized", "title": "Unauthorized", "status": 401,
             "detail": "A valid admin token is required: Authorization: Bearer <admin token>"}""";

    static final String NOT_FOUND = """
            {"type": "/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "project acme has no webhook wh_0000000000000000"}""";

    private ApiExamples() {
    }
}
