package dev.northstar.client;

/**
 * An event Northstar did not store: refused by the server (an invalid event, or a whole batch refused
 * with a 4xx other than 429), or not delivered within the retry budget.
 *
 * @param eventId   the event's id
 * @param error     the server's message ({@code events[3].feature: must match ...}) or why it was not delivered
 * @param delivered false when the event never reached the server (retry budget spent, client closed)
 */
public record Rejection(String eventId, String error, boolean delivered) {
}
