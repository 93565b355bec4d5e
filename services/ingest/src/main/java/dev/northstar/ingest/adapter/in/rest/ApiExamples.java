package dev.northstar.ingest.adapter.in.rest;

/**
 * Examples for the OpenAPI document: real answers of this service, one per status code.
 * {@code OpenApiExamplesTest} checks that every documented status has one.
 */
final class ApiExamples {

    static final String BATCH_RESULT = """
            {"accepted": 1, "rejected": 1, "results": [
              {"index": 0, "eventId": "0b6f3c1e-1", "status": "ok"},
              {"index": 1, "eventId": "0b6f3c1e-2", "status": "rejected",
               "error": "events[1].feature: must match [a-z0-9][a-z0-9._-]{0,63}"}]}""";

    static final String MALFORMED = """
            {"type": "/problems/bad-request", "title": "Bad Request", "status": 400,
             "detail": "Malformed JSON: line 1, column 43: Unexpected character ('}' (code 125)): was expecting double-quote to start field name"}""";

    static final String NO_WRITE_KEY = """
            {"type": "/problems/unauthorized", "title": "Unauthorized", "status": 401,
             "detail": "A valid write key is required: Authorization: Bearer <write key>"}""";

    static final String SLOW_CLIENT = """
            {"type": "/problems/request-timeout", "title": "Request Timeout", "status": 408,
             "detail": "The request did not arrive whole within 30000 ms; the connection is closed."}""";

    static final String TOO_MANY_EVENTS = """
            {"type": "/problems/request-entity-too-large", "title": "Request Entity Too Large", "status": 413,
             "detail": "events: at most 500 events per request, got 501"}""";

    static final String NOT_JSON = """
            {"type": "/problems/unsupported-media-type", "title": "Unsupported Media Type", "status": 415,
             "detail": "Content-Type must be application/json."}""";

    static final String RATE_LIMITED = """
            {"type": "/problems/too-many-requests", "title": "Too Many Requests", "status": 429,
             "detail": "This write key sent more than 2000 events per second (burst 10000); retry after 1 s"}""";

    static final String KAFKA_AWAY = """
            {"type": "/problems/service-unavailable", "title": "Service Unavailable", "status": 503,
             "detail": "Kafka did not acknowledge the events in time; nothing of this batch may be counted as stored. Retry the whole batch: event ids make retries safe."}""";

    static final String CREATED_PROJECT = """
            {"projectId": "shop-web", "name": "Shop (web)",
             "writeKey": "nsw_4f1c2a9e0b7d3c65_Jd8sK2mQ...", "readKey": "nsr_9a0e7c3b1d2f4e68_Lx93nVbA..."}""";

    static final String BAD_PROJECT_ID = """
            {"type": "/problems/bad-request", "title": "Bad Request", "status": 400,
             "detail": "projectId: must match [a-z0-9][a-z0-9._-]{0,63}"}""";

    static final String NO_ADMIN_TOKEN = """
            {"type": "/problems/unauthorized", "title": "Unauthorized", "status": 401,
             "detail": "A valid admin token is required: Authorization: Bearer <admin token>"}""";

    static final String ADMIN_LIMITED = """
            {"type": "/problems/too-many-requests", "title": "Too Many Requests", "status": 429,
             "detail": "Too many failed admin authentications from this address; retry after 6 s"}""";

    static final String PROJECT_EXISTS = """
            {"type": "/problems/conflict", "title": "Conflict", "status": 409,
             "detail": "projectId: project shop-web already exists"}""";

    static final String NO_SUCH_PROJECT = """
            {"type": "/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No project shop-web."}""";

    static final String ERASURE_ACCEPTED = """
            {"erasureId": "0b6f3c9e-5a0e-4c55-9a51-5b1f0f1e2d3c", "projectId": "shop-web", "actorId": "user-42",
             "requestedAt": "2026-11-27T12:00:00Z", "status": "accepted"}""";

    static final String ERASURE_STATUS = """
            {"erasureId": "0b6f3c9e-5a0e-4c55-9a51-5b1f0f1e2d3c", "projectId": "shop-web", "actorId": "user-42",
             "status": "applied", "requestedAt": "2026-11-27T12:00:00Z", "appliedAt": "2026-11-27T12:00:04Z", "ids": 3,
             "services": {"adoption": {"partitions": 6, "reflecting": 6}, "friction": {"partitions": 6, "reflecting": 6},
                          "feedback": {"partitions": 6, "reflecting": 6}}}""";

    static final String NO_SUCH_ERASURE = """
            {"type": "/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "Project shop-web has no erasure 0b6f3c9e-5a0e-4c55-9a51-5b1f0f1e2d3c."}""";

    static final String BAD_ACTOR_ID = """
            {"type": "/problems/bad-request", "title": "Bad Request", "status": 400,
             "detail": "actorId: must be 1 to 128 characters (a userId or an anonymousId as events carry it)"}""";

    static final String DECLARATION = """
            {"projectId": "shop-web", "feature": "export-csv", "name": "Export to CSV", "description": "Download any table as CSV",
             "owner": "data-team", "releasedAt": "2026-10-01", "status": "ga", "at": "2026-11-28T09:00:00Z"}""";

    static final String BAD_DECLARATION = """
            {"type": "/problems/bad-request", "title": "Bad Request", "status": 400,
             "detail": "releasedAt: must be a date, e.g. 2026-10-01, not 'last week'"}""";

    static final String NOT_DECLARED = """
            {"type": "/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "Feature export-csv is not declared in project shop-web."}""";

    static final String SETTINGS = """
            {"projectId": "shop-web", "catalogue": "strict"}""";

    private ApiExamples() {
    }
}
