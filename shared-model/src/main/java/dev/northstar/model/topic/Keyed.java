package dev.northstar.model.topic;

/** A value with the record key it is published under. */
public record Keyed<T>(String key, T value) {
}
