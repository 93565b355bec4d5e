package dev.northstar.insights.adapter.in.rest;

/**
 * Examples for the OpenAPI document: answers of this service, one per status code.
 * {@code OpenApiExamplesTest} checks that every documented status has one.
 */
final class ApiExamples {

    static final String FEATURES = """
            {"projectId": "shop-web", "asOf": "2026-11-24T12:00:00Z",
             "activeUsers": {"d7": 300, "d28": 400, "all": 500},
             "features": [{"feature": "legacy-report", "uses": 60, "users": {"d7": 1, "d28": 4, "all": 50},
               "adoption": 0.01, "failureRate": 0.0, "rating": {"avg": null, "count": 0},
               "recommendation": {"action": "sunset", "reasons": [
                 "adoption 1.0% (4 of 400 active users, 28 days) is below the 5.0% sunset threshold; first seen 90 days ago",
                 "400 active users is enough data (at least 20)"]},
               "usesByWindow": {"d7": 0, "d28": 6, "all": 60}, "rating28d": {"avg": null, "count": 0}}]}""";

    static final String FEATURE = """
            {"projectId": "shop-web", "feature": "search", "uses": 300, "users": {"d7": 40, "d28": 80, "all": 90},
             "adoption": 0.2, "failureRate": 0.2, "rating": {"avg": null, "count": 0},
             "recommendation": {"action": "improve", "reasons": [
               "adoption 20.0% (80 of 400 active users, 28 days) is at least the 5.0% improve threshold",
               "failure rate 20.0% (60 of 300 attempts, 28 days) is at or above the 10.0% improve threshold"]},
             "firstSeen": "2026-10-25T09:00:00Z", "lastSeen": "2026-11-24T11:58:00Z",
             "daily": [{"day": "2026-11-24", "users": 12, "uses": 31}],
             "errorCodes": [{"errorCode": "timeout", "count": 70}],
             "ratingDistribution": [0, 0, 0, 0, 0], "recentComments": [],
             "usesByWindow": {"d7": 120, "d28": 240, "all": 300}, "rating28d": {"avg": null, "count": 0},
             "errorCodes28d": [{"errorCode": "timeout", "count": 55}], "otherErrors28d": 5}""";

    static final String FUNNELS = """
            {"projectId": "shop-web", "funnels": [{"projectId": "shop-web", "funnel": "checkout",
              "steps": [{"step": 1, "users": 200, "conversion": 1.0, "conversionFromStart": 1.0},
                        {"step": 2, "users": 120, "conversion": 0.6, "conversionFromStart": 0.6,
                         "medianSecondsToConvert": 94}],
              "asOf": "2026-11-24T12:00:00Z", "conversionWindowDays": 7}]}""";

    static final String FUNNEL = """
            {"projectId": "shop-web", "funnel": "checkout",
             "steps": [{"step": 1, "users": 200, "conversion": 1.0, "conversionFromStart": 1.0},
                       {"step": 2, "users": 120, "conversion": 0.6, "conversionFromStart": 0.6,
                        "medianSecondsToConvert": 94},
                       {"step": 3, "users": 90, "conversion": 0.75, "conversionFromStart": 0.45,
                        "medianSecondsToConvert": 3031}],
             "asOf": "2026-11-24T12:00:00Z", "conversionWindowDays": 7}""";

    static final String HISTORY = """
            {"projectId": "shop-web", "feature": "export", "action": "improve",
             "changes": [{"at": "2026-11-27T09:30:00Z", "from": "watch", "to": "improve",
                          "reasons": ["adoption 42.0% (168 of 400 active users, 28 days) is at least the 20.0% improve threshold",
                                      "failure rate 12.0% (36 of 300 attempts, 28 days) is at or above the 10.0% improve threshold"],
                          "adoption": 0.42, "failureRate": 0.12, "ratingAverage": 3.5},
                         {"at": "2026-11-20T08:00:00Z", "from": null, "to": "watch",
                          "reasons": ["adoption 4.0% (16 of 400 active users, 28 days) is between the thresholds"],
                          "adoption": 0.04, "failureRate": 0.0, "ratingAverage": null}]}""";

    static final String BAD_QUERY = """
            {"type": "/problems/bad-request", "title": "Bad Request", "status": 400,
             "detail": "recommendation: must be one of expand, improve, sunset, watch"}""";

    static final String NO_READ_KEY = """
            {"type": "/problems/unauthorized", "title": "Unauthorized", "status": 401,
             "detail": "A valid read key is required: Authorization: Bearer <read key>"}""";

    static final String NOT_FOUND = """
            {"type": "/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "No feature nope in this project."}""";

    static final String LOADING = """
            {"type": "/problems/service-unavailable", "title": "Service Unavailable", "status": 503,
             "detail": "Insights is still reading the signals since it started; retry shortly."}""";

    private ApiExamples() {
    }
}
