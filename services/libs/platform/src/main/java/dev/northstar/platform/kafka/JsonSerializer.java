package dev.northstar.platform.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.northstar.model.json.NorthstarJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Writes any Northstar record as JSON with the shared mapper. */
public class JsonSerializer implements Serializer<Object> {

    @Override
    public byte[] serialize(String topic, Object data) {
        if (data == null) {
            return null;
        }
        try {
            return NorthstarJson.mapper().writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new SerializationException("Cannot write " + data.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
