package dev.northstar.model.compat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Describes a message record as a JSON Schema (draft 2020-12 subset): the fields and types a reader
 * of the topic relies on. Readers ignore unknown fields and read a missing field as empty, so no
 * field is "required" except the {@code kind} of a sealed type: adding a field is additive, removing
 * or retyping one is not. Sealed interfaces become a {@code oneOf} of their kinds.
 */
public final class RecordSchemas {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private RecordSchemas() {
    }

    public static ObjectNode describe(Class<?> type) {
        ObjectNode schema = JSON.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("title", type.getSimpleName());
        schema.setAll(of(type));
        return schema;
    }

    private static ObjectNode of(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                ObjectNode node = JSON.objectNode().put("type", "array");
                node.set("items", of(p.getActualTypeArguments()[0]));
                return node;
            }
            if (Map.class.isAssignableFrom(raw)) {
                return JSON.objectNode().put("type", "object");
            }
            throw new IllegalArgumentException("Cannot describe " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return JSON.objectNode().put("type", "string");
        }
        if (c == Instant.class) {
            return JSON.objectNode().put("type", "string").put("format", "date-time");
        }
        if (c == LocalDate.class) {
            return JSON.objectNode().put("type", "string").put("format", "date");
        }
        if (c == int.class || c == long.class || c == Integer.class || c == Long.class) {
            return JSON.objectNode().put("type", "integer");
        }
        if (c == double.class || c == Double.class) {
            return JSON.objectNode().put("type", "number");
        }
        if (c == boolean.class || c == Boolean.class) {
            return JSON.objectNode().put("type", "boolean");
        }
        if (c.isEnum()) {
            ObjectNode node = JSON.objectNode().put("type", "string");
            ArrayNode values = node.putArray("enum");
            for (Object constant : c.getEnumConstants()) {
                values.add(wireName(c, constant));
            }
            return node;
        }
        if (c.isRecord()) {
            return record(c, null);
        }
        if (c.isSealed() && c.isAnnotationPresent(JsonTypeInfo.class)) {
            String property = c.getAnnotation(JsonTypeInfo.class).property();
            ObjectNode node = JSON.objectNode();
            ArrayNode kinds = node.putArray("oneOf");
            Arrays.stream(c.getAnnotation(JsonSubTypes.class).value())
                    .forEach(sub -> kinds.add(record(sub.value(), new String[] {property, sub.name()})));
            return node;
        }
        throw new IllegalArgumentException("Cannot describe " + c);
    }

    private static ObjectNode record(Class<?> c, String[] kind) {
        ObjectNode node = JSON.objectNode().put("type", "object");
        ObjectNode properties = node.putObject("properties");
        ArrayNode required = JSON.arrayNode();
        if (kind != null) {
            properties.putObject(kind[0]).put("const", kind[1]);
            required.add(kind[0]);
        }
        for (RecordComponent component : c.getRecordComponents()) {
            properties.set(component.getName(), of(component.getGenericType()));
        }
        if (!required.isEmpty()) {
            node.set("required", required);
        }
        return node;
    }

    private static String wireName(Class<?> enumType, Object constant) {
        for (Method m : enumType.getMethods()) {
            if (m.isAnnotationPresent(JsonValue.class)) {
                try {
                    return String.valueOf(m.invoke(constant));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return ((Enum<?>) constant).name();
    }
}
