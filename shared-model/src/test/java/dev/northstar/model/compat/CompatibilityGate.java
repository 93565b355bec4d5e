package dev.northstar.model.compat;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a new version of a schema can still read and accept everything the published
 * version did. Breaking: a removed (or renamed) field, a changed type or constant, a newly
 * required field, a removed enum value, a narrowed rule (smaller maximum, larger minimum, a
 * different pattern or conditional). Additive changes, such as a new optional field or a wider
 * limit, pass. A breaking change ships as a new major version instead: a new record, a new
 * topic suffix, a new baseline.
 */
public final class CompatibilityGate {

    private static final List<String> MAXIMA = List.of("maxLength", "maximum", "maxItems", "maxProperties");
    private static final List<String> MINIMA = List.of("minLength", "minimum", "minItems", "minProperties");
    /** Keywords whose any change is treated as breaking (a human decides; the gate is conservative). */
    private static final List<String> EXACT = List.of("pattern", "const", "format", "anyOf", "allOf", "if", "then",
            "else", "not", "propertyNames", "$ref");

    private CompatibilityGate() {
    }

    /** Every breaking difference from {@code published} to {@code current}; empty when compatible. */
    public static List<String> breakingChanges(JsonNode published, JsonNode current) {
        List<String> problems = new ArrayList<>();
        compare(published, current, "$", problems);
        return problems;
    }

    /**
     * Whether {@code now}'s {@code allOf} is {@code was}'s plus rules that apply only to a {@code type}
     * the published schema did not accept ({@code "if": {"properties": {"type": {"const": X}}}} with X not in
     * its {@code type} enum): a new event type's own rules cannot refuse anything published before.
     */
    static boolean onlyRulesForNewTypes(JsonNode was, JsonNode now) {
        if (!was.has("allOf") || !now.has("allOf")) {
            return false;
        }
        List<JsonNode> before = new ArrayList<>();
        was.get("allOf").forEach(before::add);
        List<JsonNode> after = new ArrayList<>();
        now.get("allOf").forEach(after::add);
        if (!after.containsAll(before)) {
            return false;
        }
        java.util.Set<String> publishedTypes = new java.util.HashSet<>();
        was.path("properties").path("type").path("enum").forEach(v -> publishedTypes.add(v.asText()));
        for (JsonNode rule : after) {
            if (before.contains(rule)) {
                continue;
            }
            JsonNode type = rule.path("if").path("properties").path("type").path("const");
            if (!type.isTextual() || publishedTypes.contains(type.asText()) || publishedTypes.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static void compare(JsonNode was, JsonNode now, String at, List<String> problems) {
        if (!was.path("type").equals(now.path("type"))) {
            problems.add(at + ": type changed from " + was.path("type") + " to " + now.path("type"));
            return;
        }
        for (String keyword : EXACT) {
            if (keyword.equals("allOf") && onlyRulesForNewTypes(was, now)) {
                continue;
            }
            if (!was.path(keyword).equals(now.path(keyword))) {
                problems.add(at + ": rule '" + keyword + "' changed from " + was.path(keyword) + " to "
                        + now.path(keyword));
            }
        }
        for (String max : MAXIMA) {
            if (was.has(max) && now.has(max) && now.get(max).asDouble() < was.get(max).asDouble()) {
                problems.add(at + ": " + max + " narrowed from " + was.get(max) + " to " + now.get(max));
            }
            if (!was.has(max) && now.has(max)) {
                problems.add(at + ": " + max + " " + now.get(max) + " added");
            }
        }
        for (String min : MINIMA) {
            if (now.has(min) && (!was.has(min) || now.get(min).asDouble() > was.get(min).asDouble())) {
                problems.add(at + ": " + min + " narrowed from " + was.path(min) + " to " + now.get(min));
            }
        }
        if (was.has("enum")) {
            Set<JsonNode> allowed = new HashSet<>();
            now.path("enum").forEach(allowed::add);
            was.get("enum").forEach(v -> {
                if (!allowed.contains(v)) {
                    problems.add(at + ": enum value " + v + " removed");
                }
            });
        } else if (now.has("enum")) {
            problems.add(at + ": enum " + now.get("enum") + " added");
        }
        Set<String> wasRequired = new HashSet<>();
        was.path("required").forEach(r -> wasRequired.add(r.asText()));
        now.path("required").forEach(r -> {
            if (!wasRequired.contains(r.asText())) {
                problems.add(at + "." + r.asText() + ": newly required");
            }
        });
        JsonNode wasProps = was.path("properties");
        JsonNode nowProps = now.path("properties");
        for (Iterator<String> names = wasProps.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!nowProps.has(name)) {
                problems.add(at + "." + name + ": removed (or renamed)");
            } else {
                compare(wasProps.get(name), nowProps.get(name), at + "." + name, problems);
            }
        }
        if (was.has("items") && now.has("items")) {
            compare(was.get("items"), now.get("items"), at + "[]", problems);
        }
        if (was.path("additionalProperties").isObject() && now.path("additionalProperties").isObject()) {
            compare(was.get("additionalProperties"), now.get("additionalProperties"), at + ".*", problems);
        } else if (!was.path("additionalProperties").equals(now.path("additionalProperties"))
                && now.path("additionalProperties").isBoolean() && !now.get("additionalProperties").asBoolean()) {
            problems.add(at + ": additional properties no longer allowed");
        }
        if (was.has("oneOf")) {
            JsonNode nowKinds = now.path("oneOf");
            for (int i = 0; i < was.get("oneOf").size(); i++) {
                JsonNode kind = was.get("oneOf").get(i);
                JsonNode match = findKind(nowKinds, kind);
                if (match == null) {
                    problems.add(at + ": kind " + kindName(kind) + " removed");
                } else {
                    compare(kind, match, at + "<" + kindName(kind) + ">", problems);
                }
            }
        }
    }

    private static JsonNode findKind(JsonNode kinds, JsonNode kind) {
        for (JsonNode candidate : kinds) {
            if (kindName(candidate).equals(kindName(kind))) {
                return candidate;
            }
        }
        return null;
    }

    private static String kindName(JsonNode kind) {
        return kind.path("properties").path("kind").path("const").asText("?");
    }
}
