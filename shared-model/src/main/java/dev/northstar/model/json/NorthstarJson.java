package dev.northstar.model.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.util.stream.Collectors;

/**
 * The one JSON configuration of Northstar. Every service reads and writes JSON through a mapper
 * configured here, so input is bounded the same way everywhere: nesting depth, string length,
 * number length and document length, and duplicate keys are an error.
 */
public final class NorthstarJson {

    /** Deepest nesting accepted: a batch is three levels deep (batch, events, properties). */
    public static final int MAX_NESTING_DEPTH = 16;
    /** Longest string value: a comment is 2,000 characters, a property value 1 KiB. */
    public static final int MAX_STRING_LENGTH = 64 * 1024;
    /** Longest number literal. */
    public static final int MAX_NUMBER_LENGTH = 64;
    /** Largest document: the 1 MiB batch limit plus headroom for snapshots. */
    public static final long MAX_DOCUMENT_LENGTH = 4L * 1024 * 1024;

    private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());

    private NorthstarJson() {
    }

    /** A shared, thread-safe mapper with Northstar's settings. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Applies Northstar's settings to a mapper that someone else created (for example Quarkus). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                .build());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        return mapper;
    }

    /**
     * A parse or mapping error as a producer should see it: {@code Malformed JSON: line 3, column
     * 17: what is wrong}. Never includes the input beyond the offending token.
     */
    public static String describe(JsonProcessingException e) {
        String where = "";
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            where = "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
        }
        String path = "";
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            path = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[") + ": ";
        }
        return "Malformed JSON: " + where + path + e.getOriginalMessage();
    }
}
