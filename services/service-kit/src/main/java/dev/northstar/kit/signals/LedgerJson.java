package dev.northstar.kit.signals;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.northstar.model.json.NorthstarJson;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How ledgers turn their state into bytes for the {@code json} store and back: their fields, as
 * JSON, without getters (a ledger's fields are its state; its methods are its behaviour).
 */
public final class LedgerJson {

    private static final ObjectMapper MAPPER = fieldsOnly(NorthstarJson.configure(JsonMapper.builder().build()));

    private LedgerJson() {
    }

    private static ObjectMapper fieldsOnly(ObjectMapper mapper) {
        mapper.setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE);
        mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        // State can be far larger than an incoming document.
        mapper.getFactory().setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                .maxDocumentLength(-1).maxStringLength(Integer.MAX_VALUE).build());
        return mapper;
    }

    public static byte[] write(Object state) {
        try {
            return MAPPER.writeValueAsBytes(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads state written by {@link #write}; an {@link IOException} means the bytes are not usable. */
    public static <S> S read(byte[] bytes, Class<S> type) throws IOException {
        return MAPPER.readValue(bytes, type);
    }
}
