package dev.northstar.adoption.adapter.out.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import org.roaringbitmap.RoaringBitmap;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Adoption's daily user bitmaps in its saved state: base64 of RoaringBitmap's portable
 * serialization (readable by its other implementations). Here, not in the domain, so the ledger
 * stays free of Jackson.
 */
public final class BitmapJson {

    public static final Module MODULE = new SimpleModule("northstar-bitmaps")
            .addSerializer(RoaringBitmap.class, new BitmapSerializer())
            .addDeserializer(RoaringBitmap.class, new BitmapDeserializer());

    private BitmapJson() {
    }

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
}
