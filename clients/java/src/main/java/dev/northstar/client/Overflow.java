package dev.northstar.client;

/** What an enqueue does when the client's queue is full. */
public enum Overflow {
    /** Waits for room (back-pressure on the calling thread). */
    BLOCK,
    /** Drops the event and counts it ({@link Northstar.Stats#dropped()}). */
    DROP
}
