package dev.northstar.kit.signals;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.northstar.model.json.NorthstarJson;
import org.roaringbitmap.RoaringBitmap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

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
        mapper.registerModule(new SimpleModule("northstar-ledgers")
                .addSerializer(RoaringBitmap.class, new BitmapSerializer())
                .addDeserializer(RoaringBitmap.class, new BitmapDeserializer()));
        // State can be far larger than an incoming document.
        mapper.getFactory().setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                .maxDocumentLength(-1).maxStringLength(Integer.MAX_VALUE).build());
        return mapper;
    }

    /** A bitmap as base64 of RoaringBitmap's portable serialization (readable by its other implementations). */
    private static final class BitmapSerializer extends StdSerializer<RoaringBitmap> {
        BitmapSerializer() {
            super(RoaringBitmap.class);
        }

        @Override
        public void serialize(RoaringBitmap bitmap, JsonGenerator out, SerializerProvider provider) throws IOException {
            bitmap.runOptimize();
            ByteBuffer buffer = ByteBuffer.allocate(bitmap.serializedSizeInBytes());
            bitmap.serialize(buffer);
            out.writeBinary(buffer.array());
        }
    }

    private static final class BitmapDeserializer extends StdDeserializer<RoaringBitmap> {
        BitmapDeserializer() {
            super(RoaringBitmap.class);
        }

        @Override
        public RoaringBitmap deserialize(JsonParser in, DeserializationContext context) throws IOException {
            RoaringBitmap bitmap = new RoaringBitmap();
            try {
                bitmap.deserialize(ByteBuffer.wrap(in.getBinaryValue()));
            } catch (RuntimeException e) {
                throw new IOException("not a serialized RoaringBitmap: " + e.getMessage(), e);
            }
            return bitmap;
        }
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
