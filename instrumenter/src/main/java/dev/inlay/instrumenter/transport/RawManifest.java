package dev.inlay.instrumenter.transport;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import dev.inlay.instrumenter.image.Json;
import dev.inlay.instrumenter.image.MediaTypes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A manifest or index carried through Jib's RegistryClient byte for byte. Jib parses manifests into templates that
 * drop fields and re-serialize them; digest-identical round trips need the exact bytes, so this template keeps the
 * raw document on the way in and writes it back verbatim on the way out.
 */
@JsonDeserialize(using = RawManifest.Reader.class)
final class RawManifest implements ManifestTemplate, JsonSerializable {
    static {
        // Jib reads the response body as a String and hands it to its private mapper; with the source included in
        // parser locations the deserializer below can take that String whole instead of a re-serialized tree.
        try {
            var field = JsonTemplateMapper.class.getDeclaredField("objectMapper");
            field.setAccessible(true);
            ((ObjectMapper) field.get(null)).getFactory().enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION.mappedFeature());
        } catch (ReflectiveOperationException | RuntimeException e) {
            // falls back to the canonical re-serialization, checked against the registry's digest by the caller
        }
    }

    private final byte[] bytes;
    private final String mediaType;

    RawManifest(byte[] bytes) {
        this.bytes = bytes.clone();
        String mt = Json.text(Json.parseObject(bytes, "manifest"), "mediaType");
        if (mt == null) mt = Json.parseObject(bytes, "manifest").has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        this.mediaType = mt;
    }

    static void init() {
        // triggers the static initializer before the first pull
    }

    byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public int getSchemaVersion() {
        return 2;
    }

    @Override
    public String getManifestMediaType() {
        return mediaType;
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeRawValue(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer) throws IOException {
        serialize(gen, serializers);
    }

    static final class Reader extends JsonDeserializer<RawManifest> {
        @Override
        public RawManifest deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Object source = p.currentTokenLocation().contentReference().getRawContent();
            JsonNode tree = p.readValueAsTree();
            if (source instanceof String s && p.currentTokenLocation().getCharOffset() >= 0) {
                return new RawManifest(s.getBytes(StandardCharsets.UTF_8));
            }
            return new RawManifest(Json.bytes(tree));
        }
    }
}
